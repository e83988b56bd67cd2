import { ApiProperty } from '@nestjs/swagger';
import { Equals, IsOptional, IsString } from 'class-validator';

/** OAuth2 password-flow form, as KernelCI's clients send it (docs/auth.md#endpoints). */
export class LoginFormDto {
  /** The account's username (not its email). */
  @IsString()
  username!: string;

  /** The account's password. */
  @IsString()
  password!: string;

  /** Optional; when present it must be `password`. */
  @IsOptional()
  @Equals('password', { message: "grant_type must be 'password'" })
  @ApiProperty({ required: false, enum: ['password'] })
  grant_type?: string;

  /** Ignored. */
  @IsOptional()
  @IsString()
  scope?: string;

  /** Ignored. */
  @IsOptional()
  @IsString()
  client_id?: string;

  /** Ignored. */
  @IsOptional()
  @IsString()
  client_secret?: string;
}

/** A bearer token for the `Authorization` header. */
export class AccessTokenDto {
  /** HS256 JWT with `sub`, `aud: ["fastapi-users:auth"]` and `exp`. */
  access_token!: string;

  /** Always `bearer`. */
  @ApiProperty({ enum: ['bearer'] })
  token_type!: 'bearer';
}

/** Form of `POST /user/update-password` (docs/auth.md#endpoints). */
export class UpdatePasswordFormDto {
  /** The account's username. */
  @IsString()
  username!: string;

  /** The current password. */
  @IsString()
  password!: string;

  /** The new password; when absent nothing changes (the credentials are only checked). */
  @IsOptional()
  @IsString()
  new_password?: string;
}
