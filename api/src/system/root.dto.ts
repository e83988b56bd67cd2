import { ApiProperty } from '@nestjs/swagger';

export class RootDto {
  /** Always `KernelCI API`. */
  @ApiProperty({ example: 'KernelCI API' })
  message!: string;
}
