import { ApiProperty } from '@nestjs/swagger';
import { PageEnvelopeDto } from '../common/pagination/page.dto';
import { IsString, MaxLength } from 'class-validator';
import { MAX_NAME_LENGTH } from '../common/validation/limits';

/** A user group (docs/auth.md#users-and-groups). */
export class GroupDto {
  /** ObjectId of the group. */
  @ApiProperty({ example: '648ff894bd39930355ed16ad' })
  id!: string;

  /** Unique name; `node:edit:any`, `runtime:<R>:node-editor` and `runtime:<R>:node-admin` grant node edits. */
  @ApiProperty({ example: 'kernelci' })
  name!: string;
}

/** Body of `POST /user-groups`. */
export class GroupCreateDto {
  /** Unique group name. */
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  @ApiProperty({ example: 'runtime:lava-collabora:node-editor' })
  name!: string;
}

/** A page of groups (docs/api-conventions.md#pagination-envelope). */
export class GroupListDto extends PageEnvelopeDto {
  /** The groups of this page. */
  @ApiProperty({ type: () => [GroupDto] })
  items!: GroupDto[];
}
