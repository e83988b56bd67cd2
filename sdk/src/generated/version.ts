/**
 * GENERATED FILE: DO NOT EDIT.
 * Produced by `npm run generate:sdk` from openapi/openapi.json with openapi-typescript.
 * Change the API (api/src) and regenerate instead.
 */

/** The `info.version` of the openapi.json this SDK was generated from. */
export const API_VERSION = "0.1.0";
