import { ApiProperty } from '@nestjs/swagger';
import { IsArray, IsDefined, IsString, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';

@ValidatorConstraint({ name: 'string_or_boolean' })
class IsStringOrBoolean implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' || typeof value === 'boolean';
  }

  defaultMessage(): string {
    return 'Input should be a valid string or boolean';
  }
}

/** Body of `PUT /batch/nodeset` (docs/nodes.md#endpoints). */
export class BatchNodesetDto {
  /**
   * Ids of the nodes to update, processed in order.
   * @example ["65a3982ee98651d0fe82b010"]
   */
  @IsArray()
  @IsString({ each: true })
  nodes!: string[];

  /**
   * Field to set; only `processed_by_kcidb_bridge` is supported.
   * @example "processed_by_kcidb_bridge"
   */
  @IsString()
  field!: string;

  /** New value: `true`, `True`, `false`, `False` or a JSON boolean. */
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'boolean' }], example: true })
  @IsDefined()
  @Validate(IsStringOrBoolean)
  value!: string | boolean;
}
