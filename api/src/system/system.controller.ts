import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiCommonResponses } from '../common/errors/api-common-responses.decorator';
import { RootDto } from './root.dto';
import { MetricsService } from './metrics.service';

@ApiTags('system')
@ApiCommonResponses()
@Controller()
export class SystemController {
  constructor(private readonly metrics: MetricsService) {}

  /**
   * Say hello
   *
   * Answers `{"message": "KernelCI API"}`, what the kernelci-core client's `hello()` expects.
   */
  @Get()
  @ApiOkResponse({ type: RootDto })
  getRoot(): RootDto {
    return { message: 'KernelCI API' };
  }

  /**
   * Prometheus metrics
   *
   * Per-process counters in Prometheus text format, each labelled `instance="api"`.
   */
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition', schema: { type: 'string', example: 'http_requests_total{instance="api"} 12345' } })
  getMetrics(): Promise<string> {
    return this.metrics.render();
  }
}
