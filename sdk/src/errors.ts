/**
 * The SDK's error hierarchy: the base class and its brand (errors/base.ts), errors of an HTTP answer
 * (errors/http.ts), errors without one (errors/local.ts), the response-to-error factory
 * (errors/factory.ts) and the deprecated `is…Error` functions (errors/guards.ts).
 */
export * from './errors/base.js';
export * from './errors/http.js';
export * from './errors/local.js';
export * from './errors/factory.js';
export * from './errors/guards.js';
