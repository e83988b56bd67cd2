import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/authenticated.decorator';
import { ApiCommonResponses } from '../common/errors/api-common-responses.decorator';
import { ErrorDto } from '../common/errors/error.dto';
import { ApiPagination, parsePagination } from '../common/query/pagination';
import type { TelemetryStatsRow } from '../storage/ports';
import { TelemetryAnomaliesDto, TelemetryEventInputDto, TelemetryInsertedDto, TelemetryPageDto, TelemetryStatsRowDto } from './dto/telemetry.dto';
import { parseAnomaliesQuery, parseStatsQuery, parseTelemetryEvents, parseTelemetryQuery, type QueryParams } from './telemetry-input';
import { TelemetryService } from './telemetry.service';

const TIME_BOUNDS = [
  { name: 'since', required: false, schema: { type: 'string' as const }, description: 'Events with `ts` at or after this ISO 8601 time' },
  { name: 'until', required: false, schema: { type: 'string' as const }, description: 'Events with `ts` at or before this ISO 8601 time' },
];

/** Pipeline telemetry (docs/telemetry.md): separate from node events, kept TELEMETRY_TTL_SECONDS. */
@ApiTags('telemetry')
@ApiCommonResponses()
@Controller()
export class TelemetryController {
  constructor(private readonly telemetry: TelemetryService) {}

  /**
   * Store telemetry events
   *
   * A JSON array of events, stored together in one statement. Every event is validated first:
   * one invalid event rejects the whole request and nothing is stored.
   */
  @Post('telemetry')
  @HttpCode(200)
  @Authenticated()
  @ApiBody({
    type: TelemetryEventInputDto,
    isArray: true,
    examples: {
      result: {
        summary: 'A job result and a runtime error',
        value: [
          { kind: 'job_result', runtime: 'lava-collabora', device_type: 'bcm2711-rpi-4-b', device_id: 'rpi4-03', job_name: 'baseline-arm64', result: 'incomplete', is_infra_error: true, error_type: 'Infrastructure', error_msg: 'bootloader-commands timed out after 180 seconds' },
          { kind: 'runtime_error', runtime: 'lava-collabora', error_type: 'submission_rejected', error_msg: 'HTTP 503 from the LAVA server' },
        ],
      },
    },
  })
  @ApiOkResponse({ type: TelemetryInsertedDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: '`Events list cannot be empty`, or `Invalid telemetry event: <report>`' })
  async add(@Body() body: unknown): Promise<TelemetryInsertedDto> {
    return { inserted: await this.telemetry.insert(parseTelemetryEvents(body)) };
  }

  /**
   * Find telemetry events
   *
   * Paginated, oldest first. `since`/`until` bound `ts`; every other parameter (e.g. `kind`,
   * `runtime`, `device_type`, `job_name`, `result`, `is_infra_error`) must match exactly.
   */
  @Get('telemetry')
  @ApiPagination('Events to skip')
  @ApiQuery(TIME_BOUNDS[0])
  @ApiQuery(TIME_BOUNDS[1])
  @ApiQuery({ name: 'kind', required: false, schema: { type: 'string' }, example: 'job_result' })
  @ApiQuery({ name: 'runtime', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'is_infra_error', required: false, schema: { type: 'string', enum: ['true', 'false'] }, description: '`true` or `false` in any letter case' })
  @ApiOkResponse({ type: TelemetryPageDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: "Invalid `since`/`until`, or `Bad is_infra_error value, use 'true' or 'false'`" })
  async find(@Query() query: QueryParams): Promise<TelemetryPageDto> {
    const page = parsePagination(query);
    return this.telemetry.find(parseTelemetryQuery(query), page);
  }

  /**
   * Telemetry counters per group
   *
   * Counts events per combination of the `group_by` fields: `total` and the `pass`, `fail`,
   * `incomplete`, `skip` results and infrastructure errors, largest `total` first. `lab` is
   * another name of `runtime`.
   */
  @Get('telemetry/stats')
  @ApiQuery({ name: 'group_by', required: true, schema: { type: 'string' }, example: 'runtime,device_type', description: 'Comma list of runtime, lab, device_type, device_id, job_name, tree, branch, arch, kind, error_type' })
  @ApiQuery({ name: 'kind', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'runtime', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'lab', required: false, schema: { type: 'string' }, description: 'Same as `runtime`; both must match when both are given' })
  @ApiQuery({ name: 'device_type', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'device_id', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'job_name', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'tree', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'branch', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'arch', required: false, schema: { type: 'string' } })
  @ApiQuery(TIME_BOUNDS[0])
  @ApiQuery(TIME_BOUNDS[1])
  @ApiOkResponse({ type: TelemetryStatsRowDto, isArray: true })
  @ApiBadRequestResponse({ type: ErrorDto, description: "`'group_by' parameter is required`, `Invalid group_by fields: {'x'}`, `'lab' and 'runtime' must match when both are provided`" })
  async stats(@Query() query: QueryParams): Promise<TelemetryStatsRow[]> {
    const { groupBy, filter } = parseStatsQuery(query);
    return this.telemetry.stats(groupBy, filter);
  }

  /**
   * Pipeline health: failing devices and error bursts
   *
   * Over the last `window`: `job_result` events per runtime + device type (or device, with
   * `scope=device`) with at least `min_total` jobs whose failure rate ((fail + incomplete) /
   * total) or infrastructure-error rate reaches `threshold`; and runtime errors and failed
   * submissions counted per runtime and error type.
   */
  @Get('telemetry/anomalies')
  @ApiQuery({ name: 'window', required: false, schema: { type: 'string', enum: ['1h', '3h', '6h', '12h', '24h', '48h'], default: '6h' } })
  @ApiQuery({ name: 'threshold', required: false, schema: { type: 'number', minimum: 0, maximum: 1, default: 0.5 } })
  @ApiQuery({ name: 'min_total', required: false, schema: { type: 'integer', minimum: 1, default: 3 } })
  @ApiQuery({ name: 'scope', required: false, schema: { type: 'string', enum: ['device_type', 'device'], default: 'device_type' } })
  @ApiOkResponse({ type: TelemetryAnomaliesDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: "`Invalid window '<w>'. Use: 1h, 3h, 6h, 12h, 24h, 48h`" })
  async anomalies(@Query() query: QueryParams): Promise<TelemetryAnomaliesDto> {
    return this.telemetry.anomalies(parseAnomaliesQuery(query));
  }
}
