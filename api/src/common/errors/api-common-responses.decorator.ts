import { applyDecorators } from '@nestjs/common';
import { ApiInternalServerErrorResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { InternalErrorDto, ValidationErrorDto } from './error.dto';

/** The answers every route can give: a request-shape failure (422) and an unexpected failure (500). */
export function ApiCommonResponses() {
  return applyDecorators(
    ApiUnprocessableEntityResponse({ type: ValidationErrorDto, description: 'Request validation failed' }),
    ApiInternalServerErrorResponse({ type: InternalErrorDto, description: 'Unexpected failure; nothing was committed' }),
  );
}
