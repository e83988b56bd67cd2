/**
 * Node request and response shapes (docs/nodes.md).
 *
 * The request DTOs do the 422 shape validation of step 1 of each endpoint; kind rules (400) are
 * checked later by node-kinds.ts. Nullability is visible per field: `@IsOptional()` means the field
 * may be absent or null (so do `@OptionalObject()`, an object kept as sent, and
 * `@OptionalStringList()`), `@IsPresentOrAbsent()` means it may be absent but not null. The JSDoc line
 * of each property becomes its OpenAPI description (swagger CLI plugin, `introspectComments`).
 *
 * Datetimes stay strings here; services convert them with wireDatetimeToDate once validated.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsArray, IsBoolean, IsDefined, IsIn, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import type { NodeResult, NodeState } from '../../storage/ports';
import {
  HasUniqueItems,
  IsObjectIdOrNull,
  IsPresentOrAbsent,
  IsStrictInt,
  IsUrlMap,
  IsWireDatetime,
  KeepAsSent,
  NestedDto,
} from '../../common/validation/decorators';
import { FastValidated } from '../../common/validation/fast-validation';

import { NODE_RESULTS, NODE_STATES } from '../node-definitions';

export { NODE_RESULTS, NODE_STATES };

/** May be absent or null; otherwise an object, kept exactly as sent. */
const OptionalObject = (): PropertyDecorator => applyDecorators(IsOptional(), IsObject(), KeepAsSent());

/** May be absent or null; otherwise a list of strings. */
const OptionalStringList = (): PropertyDecorator => applyDecorators(IsOptional(), IsArray(), IsString({ each: true }));

/** Body of `POST /node` and `PUT /node/{node_id}`, and each `node` of a hierarchy submission. */
export class NodeInputDto {
  /** Node id: must be absent or null on create; ignored by PUT, which takes the id from the path. */
  @IsObjectIdOrNull()
  id?: string | null;

  /** Kind of node, one of checkout, kbuild, test, job, process, regression; defaults to `node`, which writes refuse. */
  @IsPresentOrAbsent()
  @IsString()
  kind?: string;

  /** Name of the node. */
  @IsString()
  name!: string;

  /** Names from the top-level node down to this one. */
  @IsArray()
  @IsString({ each: true })
  path!: string[];

  /** Name of a group this node belongs to. */
  @IsOptional()
  @IsString()
  group?: string | null;

  /** Id of the parent node, which must exist on create. */
  @IsObjectIdOrNull()
  parent?: string | null;

  /** Lifecycle state; defaults to `running`. */
  @ApiProperty({ enum: NODE_STATES, enumName: 'NodeState' })
  @IsPresentOrAbsent()
  @IsIn(NODE_STATES)
  state?: NodeState;

  /** Result of the work the node stands for. */
  @ApiProperty({ enum: NODE_RESULTS, enumName: 'NodeResult', nullable: true })
  @IsOptional()
  @IsIn(NODE_RESULTS)
  result?: NodeResult | null;

  /** Links to files produced for the node: name → absolute http or https URL; defaults to `{}`. */
  @IsOptional()
  @IsUrlMap()
  @KeepAsSent()
  artifacts?: Record<string, string> | null;

  /** Kind-specific data (docs/nodes.md#model); defaults to `{}`. */
  @OptionalObject()
  data?: Record<string, unknown> | null;

  /** Free-form debugging information; defaults to `{}`. */
  @OptionalObject()
  debug?: Record<string, unknown> | null;

  /** Restricts the jobs the scheduler may create below this node. */
  @OptionalStringList()
  jobfilter?: string[] | null;

  /** Restricts the platforms of child test jobs; defaults to `[]`. */
  @OptionalStringList()
  platform_filter?: string[] | null;

  /** Creation time (ISO 8601, UTC when without offset); defaults to now. */
  @IsPresentOrAbsent()
  @IsWireDatetime()
  created?: string;

  /** Last update time; the server sets it to now on every write. */
  @IsPresentOrAbsent()
  @IsWireDatetime()
  updated?: string;

  /** Time by which the node must be done; defaults to now + 6 h. */
  @IsPresentOrAbsent()
  @IsWireDatetime()
  timeout?: string;

  /** Earliest time an available node may move on. */
  @IsOptional()
  @IsWireDatetime()
  holdoff?: string | null;

  /** Username of the owner; the server sets it to the creator on create. */
  @IsOptional()
  @IsString()
  owner?: string | null;

  /** Who submitted the node; set on create, never changed by PUT. */
  @IsOptional()
  @IsString()
  submitter?: string | null;

  /** Identifier of the tree of nodes this node belongs to. */
  @IsOptional()
  @IsString()
  treeid?: string | null;

  /** Names of existing user groups allowed to edit the node, without duplicates. */
  @IsPresentOrAbsent()
  @IsArray()
  @IsString({ each: true })
  @HasUniqueItems()
  user_groups?: string[];

  /** Whether the KCIDB bridge has exported the node since its last change. */
  @IsPresentOrAbsent()
  @IsBoolean()
  processed_by_kcidb_bridge?: boolean;

  /** How many times the node's job was retried; a JSON integer. */
  @IsPresentOrAbsent()
  @IsStrictInt()
  retry_counter?: number;
}

/** Body of `PATCH /node/{node_id}` (docs/nodes.md#endpoints): any subset of these fields; others are ignored. */
export class NodePatchDto {
  /** New lifecycle state; must follow the state machine. */
  @ApiProperty({ enum: NODE_STATES, enumName: 'NodeState' })
  @IsPresentOrAbsent()
  @IsIn(NODE_STATES)
  state?: NodeState;

  /** New result, or null to clear it. */
  @ApiProperty({ enum: NODE_RESULTS, enumName: 'NodeResult', nullable: true })
  @IsOptional()
  @IsIn(NODE_RESULTS)
  result?: NodeResult | null;

  /** Replaces the whole artifact map; URLs are checked with the node's kind (400). */
  @OptionalObject()
  artifacts?: Record<string, string> | null;

  /** Replaces the whole `data` (no deep merge). */
  @OptionalObject()
  data?: Record<string, unknown> | null;

  /** Replaces the whole `debug`. */
  @OptionalObject()
  debug?: Record<string, unknown> | null;

  /** Replaces the job filter. */
  @OptionalStringList()
  jobfilter?: string[] | null;

  /** Replaces the platform filter. */
  @OptionalStringList()
  platform_filter?: string[] | null;

  /** New time by which the node must be done. */
  @IsPresentOrAbsent()
  @IsWireDatetime()
  timeout?: string;

  /** New earliest time an available node may move on, or null. */
  @IsOptional()
  @IsWireDatetime()
  holdoff?: string | null;

  /** Sets the KCIDB export flag; when absent the flag is cleared. */
  @IsPresentOrAbsent()
  @IsBoolean()
  processed_by_kcidb_bridge?: boolean;
}

/**
 * One level of a hierarchy submission, `PUT /nodes/{node_id}` (docs/nodes.md#endpoints). Its
 * 1,000-node bodies take the validation pipe's fast path (common/validation/fast-validation.ts).
 */
@FastValidated()
export class HierarchyNodeDto {
  /** The node at this level; the root's id is taken from the path. */
  @IsDefined()
  @ValidateNested()
  @NestedDto(() => NodeInputDto)
  node!: NodeInputDto;

  /** The nodes directly below it; required, may be empty. */
  @IsArray()
  @ValidateNested({ each: true })
  @NestedDto(() => HierarchyNodeDto)
  child_nodes!: HierarchyNodeDto[];
}

/** A node as answered by every endpoint: exactly these 23 keys, in this order (docs/nodes.md#model). */
export class NodeDto {
  /**
   * Node id (24 lowercase hexadecimal characters).
   * @example "65a3982ee98651d0fe82b010"
   */
  id!: string;

  /**
   * Kind of node.
   * @example "checkout"
   */
  kind!: string;

  /**
   * Name of the node.
   * @example "checkout"
   */
  name!: string;

  /**
   * Names from the top-level node down to this one.
   * @example ["checkout"]
   */
  path!: string[];

  /**
   * Name of a group this node belongs to.
   * @example null
   */
  group!: string | null;

  /**
   * Id of the parent node.
   * @example null
   */
  parent!: string | null;

  /**
   * Lifecycle state.
   * @example "done"
   */
  @ApiProperty({ enum: NODE_STATES, enumName: 'NodeState' })
  state!: NodeState;

  /**
   * Result of the work the node stands for.
   * @example "pass"
   */
  @ApiProperty({ enum: NODE_RESULTS, enumName: 'NodeResult', nullable: true })
  result!: NodeResult | null;

  /**
   * Links to files produced for the node: name → URL.
   * @example {"tarball": "https://storage.example.org/linux.tar.gz"}
   */
  artifacts!: Record<string, string> | null;

  /**
   * Kind-specific data (docs/nodes.md#model).
   * @example {"kernel_revision": {"tree": "mainline", "url": "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git", "branch": "master", "commit": "052d534373b7ed33712a63d5e17b2b6cdbce84fd", "describe": "v6.7-9928-g052d534373b7", "version": {"version": 6, "patchlevel": 7, "extra": "-9928-g052d534373b7"}}}
   */
  data!: Record<string, unknown> | null;

  /**
   * Free-form debugging information.
   * @example {}
   */
  debug!: Record<string, unknown> | null;

  /**
   * Restricts the jobs the scheduler may create below this node.
   * @example null
   */
  jobfilter!: string[] | null;

  /**
   * Restricts the platforms of child test jobs.
   * @example []
   */
  platform_filter!: string[] | null;

  /**
   * Creation time, naive UTC.
   * @example "2024-01-14T08:15:42.454000"
   */
  created!: string;

  /**
   * Last update time, naive UTC.
   * @example "2024-01-14T09:16:47.689000"
   */
  updated!: string;

  /**
   * Time by which the node must be done, naive UTC.
   * @example "2024-01-14T14:15:42.344000"
   */
  timeout!: string;

  /**
   * Earliest time an available node may move on, naive UTC.
   * @example "2024-01-14T08:46:39.040000"
   */
  holdoff!: string | null;

  /**
   * Username of the owner.
   * @example "production"
   */
  owner!: string | null;

  /**
   * Who submitted the node.
   * @example null
   */
  submitter!: string | null;

  /**
   * Identifier of the tree of nodes this node belongs to.
   * @example "b1c2d3e4"
   */
  treeid!: string | null;

  /**
   * Names of user groups allowed to edit the node.
   * @example []
   */
  user_groups!: string[];

  /**
   * Whether the KCIDB bridge has exported the node since its last change.
   * @example true
   */
  processed_by_kcidb_bridge!: boolean;

  /**
   * How many times the node's job was retried.
   * @example 0
   */
  retry_counter!: number;
}
