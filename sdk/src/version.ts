/** The SDK's own version; its MAJOR.MINOR equals the API version it was generated from (docs/sdk.md). */
export const SDK_VERSION = '0.1.0';
