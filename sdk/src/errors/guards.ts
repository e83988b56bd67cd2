/**
 * The `is…Error` functions of earlier releases. Each is `SomeError.is`; prefer that form.
 */
import { MaestroError } from './base.js';
import * as http from './http.js';
import * as local from './local.js';

/** @deprecated Use `MaestroError.is(error)`. Whether `error` is an SDK error (from any loaded copy of the SDK). */
export const isMaestroError = (error: unknown): error is MaestroError => MaestroError.is(error);
/** @deprecated Use `HttpError.is(error)`. Whether `error` is an {@link HttpError} (any status). */
export const isHttpError = (error: unknown): error is http.HttpError => http.HttpError.is(error);
/** @deprecated Use `BadRequestError.is(error)`. Whether `error` is a {@link BadRequestError}. */
export const isBadRequestError = (error: unknown): error is http.BadRequestError => http.BadRequestError.is(error);
/** @deprecated Use `InvalidTransitionError.is(error)`. Whether `error` is an {@link InvalidTransitionError}. */
export const isInvalidTransitionError = (error: unknown): error is http.InvalidTransitionError => http.InvalidTransitionError.is(error);
/** @deprecated Use `ValidationError.is(error)`. Whether `error` is a {@link ValidationError}. */
export const isValidationError = (error: unknown): error is http.ValidationError => http.ValidationError.is(error);
/** @deprecated Use `UnauthorizedError.is(error)`. Whether `error` is an {@link UnauthorizedError}. */
export const isUnauthorizedError = (error: unknown): error is http.UnauthorizedError => http.UnauthorizedError.is(error);
/** @deprecated Use `ForbiddenError.is(error)`. Whether `error` is a {@link ForbiddenError}. */
export const isForbiddenError = (error: unknown): error is http.ForbiddenError => http.ForbiddenError.is(error);
/** @deprecated Use `NotFoundError.is(error)`. Whether `error` is a {@link NotFoundError} (including {@link SubscriptionGoneError}). */
export const isNotFoundError = (error: unknown): error is http.NotFoundError => http.NotFoundError.is(error);
/** @deprecated Use `SubscriptionGoneError.is(error)`. Whether `error` is a {@link SubscriptionGoneError}. */
export const isSubscriptionGoneError = (error: unknown): error is http.SubscriptionGoneError => http.SubscriptionGoneError.is(error);
/** @deprecated Use `ConflictError.is(error)`. Whether `error` is a {@link ConflictError} (including its subclasses). */
export const isConflictError = (error: unknown): error is http.ConflictError => http.ConflictError.is(error);
/** @deprecated Use `PreconditionFailedError.is(error)`. Whether `error` is a {@link PreconditionFailedError}. */
export const isPreconditionFailedError = (error: unknown): error is http.PreconditionFailedError => http.PreconditionFailedError.is(error);
/** @deprecated Use `IdempotencyConflictError.is(error)`. Whether `error` is an {@link IdempotencyConflictError}. */
export const isIdempotencyConflictError = (error: unknown): error is http.IdempotencyConflictError => http.IdempotencyConflictError.is(error);
/** @deprecated Use `ResultsAlreadySubmittedError.is(error)`. Whether `error` is a {@link ResultsAlreadySubmittedError}. */
export const isResultsAlreadySubmittedError = (error: unknown): error is http.ResultsAlreadySubmittedError => http.ResultsAlreadySubmittedError.is(error);
/** @deprecated Use `OversizedBodyError.is(error)`. Whether `error` is an {@link OversizedBodyError}. */
export const isOversizedBodyError = (error: unknown): error is http.OversizedBodyError => http.OversizedBodyError.is(error);
/** @deprecated Use `RateLimitError.is(error)`. Whether `error` is a {@link RateLimitError}. */
export const isRateLimitError = (error: unknown): error is http.RateLimitError => http.RateLimitError.is(error);
/** @deprecated Use `ServerError.is(error)`. Whether `error` is a {@link ServerError}. */
export const isServerError = (error: unknown): error is http.ServerError => http.ServerError.is(error);
/** @deprecated Use `NetworkError.is(error)`. Whether `error` is a {@link NetworkError}. */
export const isNetworkError = (error: unknown): error is local.NetworkError => local.NetworkError.is(error);
/** @deprecated Use `TimeoutError.is(error)`. Whether `error` is a {@link TimeoutError} (including {@link WaitTimeoutError}). */
export const isTimeoutError = (error: unknown): error is local.TimeoutError => local.TimeoutError.is(error);
/** @deprecated Use `WaitTimeoutError.is(error)`. Whether `error` is a {@link WaitTimeoutError}. */
export const isWaitTimeoutError = (error: unknown): error is local.WaitTimeoutError => local.WaitTimeoutError.is(error);
/** @deprecated Use `WaitConditionUnreachableError.is(error)`. Whether `error` is a {@link WaitConditionUnreachableError}. */
export const isWaitConditionUnreachableError = (error: unknown): error is local.WaitConditionUnreachableError => local.WaitConditionUnreachableError.is(error);
/** @deprecated Use `FilterError.is(error)`. Whether `error` is a {@link FilterError}. */
export const isFilterError = (error: unknown): error is local.FilterError => local.FilterError.is(error);
/** @deprecated Use `UnsupportedFeatureError.is(error)`. Whether `error` is an {@link UnsupportedFeatureError}. */
export const isUnsupportedFeatureError = (error: unknown): error is local.UnsupportedFeatureError => local.UnsupportedFeatureError.is(error);
/** @deprecated Use `IncompatibleServerError.is(error)`. Whether `error` is an {@link IncompatibleServerError}. */
export const isIncompatibleServerError = (error: unknown): error is local.IncompatibleServerError => local.IncompatibleServerError.is(error);
/** @deprecated Use `ProtocolError.is(error)`. Whether `error` is a {@link ProtocolError}. */
export const isProtocolError = (error: unknown): error is local.ProtocolError => local.ProtocolError.is(error);
/** @deprecated Use `SubscriptionReplacedError.is(error)`. Whether `error` is a {@link SubscriptionReplacedError}. */
export const isSubscriptionReplacedError = (error: unknown): error is local.SubscriptionReplacedError => local.SubscriptionReplacedError.is(error);
/** @deprecated Use `EventGapError.is(error)`. Whether `error` is an {@link EventGapError}. */
export const isEventGapError = (error: unknown): error is local.EventGapError => local.EventGapError.is(error);
