// `@maestro-ci/sdk/events`: the event subscriber (SDK A11). Placeholder until the subscriber lands;
// it exports nothing yet so the `./events` entry point already builds.
export {};
