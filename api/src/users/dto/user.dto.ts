import { ApiProperty } from '@nestjs/swagger';
import { PageEnvelopeDto } from '../../common/pagination/page.dto';
import { IsArray, IsBoolean, IsEmail, IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_NAME_LENGTH } from '../../common/validation/limits';
import { HasUniqueItems } from '../../common/validation/decorators';

/** A user group as embedded in a user (docs/auth.md). */
export class UserGroupDto {
  /** ObjectId of the group. */
  @ApiProperty({ example: '648ff894bd39930355ed16ad' })
  id!: string;

  /** Unique group name, e.g. `kernelci` or `runtime:lava-collabora:node-editor`. */
  @ApiProperty({ example: 'kernelci' })
  name!: string;
}

/** A user as every endpoint returns it ("UserRead", docs/auth.md#the-user-object): never the password hash. */
export class UserDto {
  /** ObjectId of the user. */
  @ApiProperty({ example: '6526448e7d140ee220971a0e' })
  id!: string;

  /** Unique case-insensitively; kept in the case it was given. */
  @ApiProperty({ example: 'alice@example.org' })
  email!: string;

  /** Inactive users cannot authenticate. */
  is_active!: boolean;

  /** Superusers pass every admin check and may edit every node. */
  is_superuser!: boolean;

  /** Unverified users cannot log in, nor call `/whoami` or `/user/logout`. */
  is_verified!: boolean;

  /** Unique; the login name. */
  @ApiProperty({ example: 'alice' })
  username!: string;

  /** The user's groups. */
  @ApiProperty({ type: () => [UserGroupDto] })
  groups!: UserGroupDto[];
}

/** A page of users (docs/api-conventions.md#pagination-envelope). */
export class UserListDto extends PageEnvelopeDto {
  /** The users of this page. */
  @ApiProperty({ type: () => [UserDto] })
  items!: UserDto[];
}

/**
 * Body of `PATCH /user/me` and `PATCH /user/{user_id}` (docs/auth.md#endpoints). On `/user/me` the flags are
 * ignored and `groups` must be empty; an admin's patch applies every field given.
 */
export class UserPatchDto {
  /** New username; must not belong to another user. */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  @ApiProperty({ required: false, example: 'alice' })
  username?: string;

  /** New email; changing it clears `is_verified` (unless an admin sets it in the same request). */
  @IsOptional()
  @IsEmail()
  @MaxLength(MAX_NAME_LENGTH)
  @ApiProperty({ required: false, example: 'alice@example.org' })
  email?: string;

  /** New password (any string). */
  @IsOptional()
  @IsString()
  @ApiProperty({ required: false })
  password?: string;

  /** Admin only. */
  @IsOptional()
  @IsBoolean()
  @ApiProperty({ required: false })
  is_active?: boolean;

  /** Admin only. */
  @IsOptional()
  @IsBoolean()
  @ApiProperty({ required: false })
  is_superuser?: boolean;

  /** Admin only. */
  @IsOptional()
  @IsBoolean()
  @ApiProperty({ required: false })
  is_verified?: boolean;

  /** Admin only: group names that replace the user's groups; an empty list changes nothing. */
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @ApiProperty({ required: false, type: [String], example: ['kernelci'] })
  groups?: string[];
}

/** Body of `POST /user/invite` (docs/auth.md#endpoints). */
export class InviteDto {
  /** Username of the new account. */
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  @ApiProperty({ example: 'bob' })
  username!: string;

  /** Where the invite is mailed. */
  @IsEmail()
  @MaxLength(MAX_NAME_LENGTH)
  @ApiProperty({ example: 'bob@example.org' })
  email!: string;

  /** Names of existing groups for a new account. */
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @HasUniqueItems()
  @ApiProperty({ required: false, type: [String], default: [], example: ['kernelci'] })
  groups?: string[];

  /** Make the new account a superuser. */
  @IsOptional()
  @IsBoolean()
  @ApiProperty({ required: false, default: false })
  is_superuser?: boolean;

  /** Mail the invite when SMTP is configured. */
  @IsOptional()
  @IsBoolean()
  @ApiProperty({ required: false, default: true })
  send_email?: boolean;

  /** Return the invite URL and token in the response even when the mail was sent. */
  @IsOptional()
  @IsBoolean()
  @ApiProperty({ required: false, default: false })
  return_token?: boolean;

  /** Re-invite a user that exists but has not accepted yet. */
  @IsOptional()
  @IsBoolean()
  @ApiProperty({ required: false, default: false })
  resend_if_exists?: boolean;
}

/** Where invite links point (docs/auth.md#endpoints). */
export class InviteUrlDto {
  /** Base URL of this API as users reach it. */
  @ApiProperty({ example: 'https://api.example.org' })
  public_base_url!: string;

  /** The accept-invite page. */
  @ApiProperty({ example: 'https://api.example.org/user/accept-invite' })
  accept_invite_url!: string;
}

/** Answer of `POST /user/invite` (docs/auth.md#endpoints). */
export class InviteResultDto extends InviteUrlDto {
  /** The invited user. */
  @ApiProperty({ type: () => UserDto })
  user!: UserDto;

  /** True when the invite mail was delivered to the SMTP server. */
  email_sent!: boolean;

  /** `<accept_invite_url>?token=…`; set when `return_token` is true or the requested mail was not sent. */
  @ApiProperty({ type: String, nullable: true, example: 'https://api.example.org/user/accept-invite?token=eyJ…' })
  invite_url!: string | null;

  /** The invite token; set under the same conditions as `invite_url`. */
  @ApiProperty({ type: String, nullable: true })
  token!: string | null;
}

/** Body of `POST /user/accept-invite` (docs/auth.md#endpoints). */
export class AcceptInviteDto {
  /** The token from the invite link. */
  @IsString()
  token!: string;

  /** The password to set. */
  @IsString()
  password!: string;
}

/** Body of `POST /user/forgot-password` (docs/auth.md#endpoints). */
export class ForgotPasswordDto {
  /** The account's email (matched case-insensitively). */
  @IsEmail()
  @ApiProperty({ example: 'alice@example.org' })
  email!: string;
}

/** Answer of `POST /user/forgot-password` to a superuser when no mail could be sent (docs/auth.md). */
export class ForgotPasswordResultDto {
  /** Always false here. */
  email_sent!: boolean;

  /** The reset token, for `POST /user/reset-password`. */
  token!: string;
}

/** Body of `POST /user/reset-password` (docs/auth.md#endpoints). */
export class ResetPasswordDto {
  /** The reset token (mailed, or logged without SMTP). */
  @IsString()
  token!: string;

  /** The new password. */
  @IsString()
  password!: string;
}
