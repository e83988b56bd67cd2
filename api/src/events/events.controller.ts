import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiExtraModels, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiCommonResponses } from '../common/errors/api-common-responses.decorator';
import { ErrorDto } from '../common/errors/error.dto';
import { ApiFilterQuery } from '../common/query/pagination';
import type { QueryParams } from '../common/query/query-params';
import { EventDto } from './dto/events.dto';
import { REALTIME_MODELS } from './dto/realtime.dto';
import { EventHistoryService } from './event-history.service';


@ApiTags('events')
@ApiCommonResponses()
// The socket.io messages (docs/realtime.md) enter the spec here so the SDK can type its client.
@ApiExtraModels(...REALTIME_MODELS)
@Controller()
export class EventsController {
  constructor(private readonly history: EventHistoryService) {}

  /**
   * List stored events
   *
   * A bare array in natural (sequence) order; no default limit. Filters: `kind`, `state`, `result`,
   * `op`, `name`, `group`, `owner` (exact match on the payload), `channel`, `path` (regular
   * expression on `data.path`), `node_id`, `id`, `ids` (comma-separated), `from` (ISO 8601,
   * `timestamp > from`), `limit`, `offset`, `recursive` (adds `node`; needs `limit` ≤ 1000), and any
   * other key as an exact match on the stored document (`true`/`false` become booleans).
   */
  @Get('events')
  @ApiFilterQuery('e.g. `kind=kbuild&state=done&from=2025-01-12T08:00:00&limit=100`')
  @ApiOkResponse({ type: EventDto, isArray: true })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'A malformed `id`, `ids`, `from`, `limit` or `offset`, conflicting parameters, or a recursive limit above 1000' })
  listEvents(@Query() query: QueryParams): Promise<EventDto[]> {
    return this.history.list(query);
  }
}
