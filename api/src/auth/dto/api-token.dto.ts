import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { IsWireDatetime } from '../../common/validation/decorators';

/** Body of `POST /user/me/tokens` (docs/auth.md#two-kinds-of-bearer-token). */
export class ApiTokenCreateDto {
  /** What the token is for, 1–100 characters. */
  @IsString()
  @Length(1, 100)
  @ApiProperty({ example: 'ci-bot', minLength: 1, maxLength: 100 })
  name!: string;

  /** When the token stops working (ISO 8601, UTC without offset); null or absent: never. */
  @IsOptional()
  @IsWireDatetime()
  @ApiProperty({ required: false, nullable: true, type: String, format: 'date-time', example: '2027-01-01T00:00:00' })
  expires_at?: string | null;
}

/** An API token as listed: never the secret (docs/auth.md#two-kinds-of-bearer-token). */
export class ApiTokenDto {
  /** ObjectId of the token. */
  @ApiProperty({ example: '66a1f0c2e4b0a1b2c3d4e5f6' })
  id!: string;

  /** The name given at creation. */
  @ApiProperty({ example: 'ci-bot' })
  name!: string;

  /** `mst_` and the next four characters of the token, to tell tokens apart. */
  @ApiProperty({ example: 'mst_AbCd' })
  prefix!: string;

  /** Creation time (UTC). */
  @ApiProperty({ example: '2026-08-21T10:10:00.123000' })
  created!: string;

  /** Expiry (UTC) or null. */
  @ApiProperty({ type: String, nullable: true, example: null })
  expires_at!: string | null;

  /** Last authenticated request (UTC, updated at most once a minute) or null. */
  @ApiProperty({ type: String, nullable: true, example: null })
  last_used!: string | null;

  /** True once revoked; revoked tokens are listed for 30 days. */
  revoked!: boolean;
}

/** Answer of `POST /user/me/tokens`: the only time the secret is shown. */
export class ApiTokenCreatedDto extends ApiTokenDto {
  /** The bearer token, `mst_` + 43 characters. Store it now: it cannot be shown again. */
  @ApiProperty({ example: 'mst_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde' })
  token!: string;
}
