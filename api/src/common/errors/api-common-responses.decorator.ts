import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiInternalServerErrorResponse, ApiUnprocessableEntityResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorDto, InternalErrorDto, ValidationErrorDto } from './error.dto';

/**
 * The answers every route can give: a request-shape failure or an input refused by the
 * request-wide limits of docs/security.md (422), and an unexpected failure (500).
 */
export function ApiCommonResponses() {
  return applyDecorators(
    ApiExtraModels(ValidationErrorDto, ErrorDto),
    ApiUnprocessableEntityResponse({
      description: 'Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md)',
      schema: { oneOf: [{ $ref: getSchemaPath(ValidationErrorDto) }, { $ref: getSchemaPath(ErrorDto) }] },
    }),
    ApiInternalServerErrorResponse({ type: InternalErrorDto, description: 'Unexpected failure; nothing was committed' }),
  );
}
