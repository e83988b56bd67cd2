/**
 * GENERATED FILE: DO NOT EDIT.
 * Produced by `npm run generate:sdk` from openapi/openapi.json with openapi-typescript.
 * Change the API (api/src) and regenerate instead.
 */
export interface paths {
    "/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Say hello
         * @description Answers `{"message": "KernelCI API"}`, what the kernelci-core client's `hello()` expects.
         */
        get: operations["getRoot"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/batch/nodeset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Set the KCIDB flag of many nodes
         * @description Sets `processed_by_kcidb_bridge` on every listed node the caller may edit (others are skipped) and answers how many were updated. Publishes no events.
         */
        put: operations["batchUpdateNodes"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/count": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Count nodes matching a filter
         * @description Same filter language as `/nodes`; `limit`, `offset`, `sort` and `cursor` are ignored. Answers a bare integer.
         */
        get: operations["countNodes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List stored events
         * @description A bare array in natural (sequence) order; no default limit. Filters: `kind`, `state`, `result`, `op`, `name`, `group`, `owner` (exact match on the payload), `channel`, `path` (regular expression on `data.path`), `node_id`, `id`, `ids` (comma-separated), `from` (ISO 8601, `timestamp > from`), `limit`, `offset`, `recursive` (adds `node`; needs `limit` ≤ 1000), and any other key as an exact match on the stored document (`true`/`false` become booleans).
         */
        get: operations["listEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness probe
         * @description Answers 200 while the process serves requests; touches no dependency, so a database outage never gets a replica restarted.
         */
        get: operations["live"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/kv/{namespace}/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a value: the string, or null when the key is not set. */
        get: operations["get"];
        put?: never;
        /**
         * Set a value
         * @description The whole body is the value: a JSON string with `Content-Type: application/json`, or raw text with any other content type. An empty body (or `""`) deletes the key. At most 1 MiB.
         */
        post: operations["set"];
        /** Delete a value (also when it is not set). */
        delete: operations["delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/listen/{sub_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Wait for the next event of a subscription
         * @description Long poll: answers the next event as a message envelope whose `data` is the CloudEvent as a JSON string, or a keep-alive (`"data": "BEEP"`) after KEEP_ALIVE_PERIOD seconds without events. Each listen first acknowledges the event returned by the previous one.
         */
        get: operations["listen"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description Per-process counters in Prometheus text format, each labelled `instance="api"`.
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/node": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a node
         * @description The owner is always the caller. Answers 200 (not 201) with the stored node, as KernelCI does, and publishes a `created` event on channel `node`. Honours `Idempotency-Key`.
         */
        post: operations["createNode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/node/{node_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a node by id
         * @description A well-formed id that names no node answers 200 with `null`, as KernelCI does.
         */
        get: operations["getNode"];
        /**
         * Replace a node
         * @description Full replacement: omitted fields take their defaults; `owner`, `submitter` and `user_groups` keep their stored values. Checks the state machine and the KCIDB flag rules, honours `If-Match`, and publishes an `updated` event unless `noevent` is true.
         */
        put: operations["updateNode"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Update some fields of a node
         * @description Applies exactly the fields present (state, result, artifacts, data, debug, jobfilter, platform_filter, timeout, holdoff, processed_by_kcidb_bridge); `data` is replaced, not merged. Honours `If-Match` and `noevent`.
         */
        patch: operations["patchNode"];
        trace?: never;
    };
    "/nodes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List nodes matching a filter
         * @description Every query parameter other than `limit`, `offset`, `sort` and `cursor` is a condition of the query language (see docs/nodes.md). Items come in insertion order unless `sort` is given; `sort` or `cursor` add `next_cursor` to the envelope for keyset paging.
         */
        get: operations["listNodes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/nodes/{node_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Submit a hierarchy of nodes
         * @description Updates the root and creates or replaces every node below it in one transaction, after checking all of them; stores kind-normalised data; publishes one `updated` event for the root. Answers every written node, root first, in pre-order. Honours `If-Match` (on the root) and `Idempotency-Key`.
         */
        put: operations["submitHierarchy"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/nodes/fast": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List nodes without pagination
         * @description A bare array of every match (or `limit` of them after `offset`), in insertion order unless `sort` is given. Abandoned with 504 after NODES_FAST_TIMEOUT_SECONDS.
         */
        get: operations["listNodesFast"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/pop/{list_name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Take the oldest event of a queue list
         * @description Each item is handed to exactly one consumer, whichever replica it asks. Waits up to POP_TIMEOUT_SECONDS for an item, then answers `null` (ask again). An item taken for a consumer whose connection closes before the answer is written is put back at its place. Never retry a pop blindly after a lost answer: the item may have been delivered.
         */
        get: operations["pop"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/publish/{channel}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Publish an event on a channel
         * @description The event is stored in the event log and delivered like any other. `owner` is the caller.
         */
        post: operations["publishEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/push/{list_name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Append an event to a queue list
         * @description The body's `data` is the event payload; every other key becomes a CloudEvent attribute (`type` defaults to `api.kernelci.org`, `source` to CLOUD_EVENTS_SOURCE). Queue items are not part of the event history.
         */
        post: operations["push"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness probe
         * @description 200 when this replica can serve: the database answers within 2 s with every migration this release knows applied (and none it does not know), and the cross-replica notifier (Redis, when REDIS_URL is set) is connected. 503 with the failing checks otherwise.
         */
        get: operations["ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/stats/subscriptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List live subscriptions
         * @description Every subscription of every replica, HTTP and socket.io, with its real promiscuous flag.
         */
        get: operations["listSubscriptions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/subscribe/{channel}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Subscribe to a channel
         * @description Events published afterwards are delivered by `GET /listen/{sub_id}`. By default only events without an owner or about the caller's own nodes are delivered (`promisc=true`: all). With a `subscriber_id` the subscription is durable: it resumes where the last one with that id stopped.
         */
        post: operations["subscribe"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telemetry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Find telemetry events
         * @description Paginated, oldest first. `since`/`until` bound `ts`; every other parameter (e.g. `kind`, `runtime`, `device_type`, `job_name`, `result`, `is_infra_error`) must match exactly.
         */
        get: operations["find"];
        put?: never;
        /**
         * Store telemetry events
         * @description A JSON array of events, stored together in one statement. Every event is validated first: one invalid event rejects the whole request and nothing is stored.
         */
        post: operations["add"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telemetry/anomalies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Pipeline health: failing devices and error bursts
         * @description Over the last `window`: `job_result` events per runtime + device type (or device, with `scope=device`) with at least `min_total` jobs whose failure rate ((fail + incomplete) / total) or infrastructure-error rate reaches `threshold`; and runtime errors and failed submissions counted per runtime and error type.
         */
        get: operations["anomalies"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telemetry/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Telemetry counters per group
         * @description Counts events per combination of the `group_by` fields: `total` and the `pass`, `fail`, `incomplete`, `skip` results and infrastructure errors, largest `total` first. `lab` is another name of `runtime`.
         */
        get: operations["stats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/unsubscribe/{sub_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End a subscription
         * @description A durable subscriber's cursor survives: subscribing again with the same `subscriber_id` resumes.
         */
        post: operations["unsubscribe"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/user-groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List user groups (admin)
         * @description Every query parameter other than `limit` and `offset` is an exact match, e.g. `name=kernelci`.
         */
        get: operations["listGroups"];
        put?: never;
        /**
         * Create a user group (admin)
         * @description Answers 200 (not 201), as KernelCI does.
         */
        post: operations["createGroup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/user-groups/{group_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a user group by id (admin) */
        get: operations["getGroup"];
        put?: never;
        post?: never;
        /**
         * Delete a user group (admin)
         * @description Refused with 409 while any user has the group.
         */
        delete: operations["deleteGroup"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/user/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a user by id
         * @description Unknown and malformed ids (and `me`: there is no `GET /user/me`) answer 404 `Not Found`.
         */
        get: operations["getUser"];
        put?: never;
        post?: never;
        /**
         * Delete a user (admin)
         * @description Answers 200 with `null`, as KernelCI does. Nodes owned by the user are kept; the user's API tokens are deleted.
         */
        delete: operations["deleteUser"];
        options?: never;
        head?: never;
        /**
         * Update any user (admin)
         * @description Every given field is applied, flags included. A non-empty `groups` replaces the user's groups; `groups: []` leaves them alone. An email change clears `is_verified` unless the same request sets it.
         */
        patch: operations["updateUser"];
        trace?: never;
    };
    "/user/{user_id}/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a user's API tokens (admin) */
        get: operations["listUserApiTokens"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/user/{user_id}/tokens/{token_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a user's API token (admin) */
        delete: operations["revokeUserApiToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/user/accept-invite": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The accept-invite web page
         * @description A self-contained HTML page that reads `token` from its query string, asks for a password and posts it to `POST /user/accept-invite`.
         */
        get: operations["acceptInvitePage"];
        put?: never;
        /**
         * Accept an invitation
         * @description Sets the password and marks the account verified; the user can log in afterwards.
         */
        post: operations["acceptInvite"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/user/forgot-password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask for a password-reset token
         * @description Always 202, with `null` whether or not the email is known. The token is mailed; without SMTP it is written to the server log, and a superuser caller receives it in the response. Requests are rate-limited per client address (`LOGIN_RATE_LIMIT_ATTEMPTS` per window).
         */
        post: operations["forgotPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/user/invite": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Invite a user (admin)
         * @description Creates an unverified account (or, with `resend_if_exists`, re-invites one that has not accepted yet) and mails an invite link when SMTP is configured. When the mail was not sent, or with `return_token`, the response carries the link and token, and the link is also logged.
         */
        post: operations["inviteUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/user/invite/url": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Where invite links point (admin)
         * @description `PUBLIC_BASE_URL` when set; otherwise the forwarded host and scheme when the request came through a local proxy, else the request's own.
         */
        get: operations["getInviteUrl"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/user/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Log in with a username and password
         * @description Form-encoded OAuth2 password flow. Returns a long-lived access token (ten years by default); for automation prefer a revocable API token (`POST /user/me/tokens`). Failed attempts are rate-limited per username and per client address.
         */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/user/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Log out
         * @description Nothing is revoked: access tokens stay valid until they expire (revoke API tokens instead).
         */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/user/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Update the caller's own account
         * @description `username`, `email` and `password` are applied; `is_active`, `is_superuser` and `is_verified` are ignored; a non-empty `groups` is refused. Changing the email clears `is_verified`.
         */
        patch: operations["updateMe"];
        trace?: never;
    };
    "/user/me/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the caller's API tokens
         * @description Newest first, without secrets; revoked tokens stay listed for 30 days.
         */
        get: operations["listApiTokens"];
        put?: never;
        /**
         * Create an API token
         * @description A revocable bearer token that acts as the caller wherever an access token is accepted. The secret `token` is in this response only.
         */
        post: operations["createApiToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/user/me/tokens/{token_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke one of the caller's API tokens
         * @description The token fails on the very next request. Revoking twice is not an error.
         */
        delete: operations["revokeApiToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/user/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Self-registration (disabled)
         * @description Kept for KernelCI compatibility: after the admin check it always answers 404. Use `POST /user/invite`.
         */
        post: operations["register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/user/reset-password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reset a password with a reset token
         * @description The token dies when the password changes or after one hour.
         */
        post: operations["resetPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/user/update-password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change a password with the current credentials
         * @description Form fields `username`, `password` (current) and optional `new_password`. Verification is not required. Without `new_password` nothing changes. Counts toward the login rate limit.
         */
        post: operations["updatePassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List users
         * @description Any active user may list all users (as in KernelCI). Every query parameter other than `limit` and `offset` is an exact match on the user document, e.g. `username=bob`, `groups.name=team-a`, `is_superuser=true` (`true`/`false` in any case are booleans). Filtering on `hashed_password` is refused.
         */
        get: operations["listUsers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/whoami": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's own account
         * @description Needs a verified user: an unverified one gets 403 `Forbidden`.
         */
        get: operations["whoami"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AcceptInviteDto: {
            /** @description The password to set. */
            password: string;
            /** @description The token from the invite link. */
            token: string;
        };
        AccessTokenDto: {
            /** @description HS256 JWT with `sub`, `aud: ["fastapi-users:auth"]` and `exp`. */
            access_token: string;
            /**
             * @description Always `bearer`.
             * @enum {string}
             */
            token_type: "bearer";
        };
        ApiTokenCreatedDto: {
            /**
             * @description Creation time (UTC).
             * @example 2026-08-21T10:10:00.123000
             */
            created: string;
            /**
             * @description Expiry (UTC) or null.
             * @example null
             */
            expires_at: string | null;
            /**
             * @description ObjectId of the token.
             * @example 66a1f0c2e4b0a1b2c3d4e5f6
             */
            id: string;
            /**
             * @description Last authenticated request (UTC, updated at most once a minute) or null.
             * @example null
             */
            last_used: string | null;
            /**
             * @description The name given at creation.
             * @example ci-bot
             */
            name: string;
            /**
             * @description `mst_` and the next four characters of the token, to tell tokens apart.
             * @example mst_AbCd
             */
            prefix: string;
            /** @description True once revoked; revoked tokens are listed for 30 days. */
            revoked: boolean;
            /**
             * @description The bearer token, `mst_` + 43 characters. Store it now: it cannot be shown again.
             * @example mst_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde
             */
            token: string;
        };
        ApiTokenCreateDto: {
            /**
             * Format: date-time
             * @description When the token stops working (ISO 8601, UTC without offset); null or absent: never.
             * @example 2027-01-01T00:00:00
             */
            expires_at?: string | null;
            /**
             * @description What the token is for, 1–100 characters.
             * @example ci-bot
             */
            name: string;
        };
        ApiTokenDto: {
            /**
             * @description Creation time (UTC).
             * @example 2026-08-21T10:10:00.123000
             */
            created: string;
            /**
             * @description Expiry (UTC) or null.
             * @example null
             */
            expires_at: string | null;
            /**
             * @description ObjectId of the token.
             * @example 66a1f0c2e4b0a1b2c3d4e5f6
             */
            id: string;
            /**
             * @description Last authenticated request (UTC, updated at most once a minute) or null.
             * @example null
             */
            last_used: string | null;
            /**
             * @description The name given at creation.
             * @example ci-bot
             */
            name: string;
            /**
             * @description `mst_` and the next four characters of the token, to tell tokens apart.
             * @example mst_AbCd
             */
            prefix: string;
            /** @description True once revoked; revoked tokens are listed for 30 days. */
            revoked: boolean;
        };
        BatchNodesetDto: {
            /**
             * @description Field to set; only `processed_by_kcidb_bridge` is supported.
             * @example processed_by_kcidb_bridge
             */
            field: string;
            /**
             * @description Ids of the nodes to update, processed in order.
             * @example [
             *       "65a3982ee98651d0fe82b010"
             *     ]
             */
            nodes: string[];
            /**
             * @description New value: `true`, `True`, `false`, `False` or a JSON boolean.
             * @example true
             */
            value: string | boolean;
        };
        /** @description `data` of a checkout node (KernelCI's `Checkout` model). Unknown keys are stored as sent. */
        CheckoutData: {
            architecture_filter?: string[] | null;
            error_code?: components["schemas"]["CheckoutErrorCode"] | null;
            error_msg?: string | null;
            kernel_revision?: components["schemas"]["Revision"] | null;
        } & {
            [key: string]: unknown;
        };
        /**
         * @description `data.error_code` of checkout nodes.
         * @enum {string}
         */
        CheckoutErrorCode: "node_timeout" | "git_checkout_failure";
        CloudEventDto: {
            /** @description Sequence id; absent on keep-alives. */
            _sequence_id?: number;
            data: ({
                [key: string]: unknown;
            } | unknown[] | string | number | boolean) | null;
            /** @description UUID assigned at publication, kept for the life of the event. */
            id: string;
            /** @description The node's owner for node events, the publisher for `/publish`; absent when none. */
            owner?: string;
            /** @example https://api.kernelci.org/ */
            source: string;
            /** @enum {string} */
            specversion: "1.0";
            /**
             * @description Publication time, UTC with `+00:00`.
             * @example 2024-01-04T10:48:39.974000+00:00
             */
            time: string;
            /** @example api.kernelci.org */
            type: string;
        };
        ErrorAnomalyDto: {
            /** @example 4 */
            count: number;
            /** @example submission_rejected */
            error_type: string | null;
            /** @example lava-collabora */
            runtime: string;
        };
        /**
         * @description `data.error_code` of kbuild, test, job and regression nodes.
         * @enum {string}
         */
        ErrorCode: "invalid_job_params" | "submit_error" | "node_timeout" | "Infrastructure" | "Canceled" | "Job" | "Bug" | "Test" | "Configuration" | "LAVATimeout" | "MultinodeTimeout" | "ObjectNotPersisted" | "Unexisting permission codename." | "job_generation_error" | "kbuild_internal_error";
        ErrorDto: {
            /**
             * @description What went wrong, e.g. `Node not found with id: 65a1…`.
             * @example Unauthorized
             */
            detail: string;
        };
        EventDto: {
            /** @example node */
            channel: string;
            /** @description The event payload (for node events, docs/events.md#event-envelope). */
            data: ({
                [key: string]: unknown;
            } | unknown[] | string | number | boolean) | null;
            /**
             * @description Id of the stored event document.
             * @example 65a1355ee98651d0fe81e500
             */
            id: string;
            /** @description With `recursive`: the node named by `data.id`, when it still exists. */
            node?: components["schemas"]["NodeDto"];
            /** @description Owner of the event (the node's owner for node events), null when none. */
            owner: string | null;
            /**
             * @description Deployment-wide sequence id (the CloudEvent's `_sequence_id`).
             * @example 12345
             */
            sequence_id: number;
            /**
             * @description Storage time, naive UTC.
             * @example 2025-01-12T08:30:00.123000
             */
            timestamp: string;
        };
        ForgotPasswordDto: {
            /**
             * Format: email
             * @description The account's email (matched case-insensitively).
             * @example alice@example.org
             */
            email: string;
        };
        ForgotPasswordResultDto: {
            /** @description Always false here. */
            email_sent: boolean;
            /** @description The reset token, for `POST /user/reset-password`. */
            token: string;
        };
        GroupCreateDto: {
            /**
             * @description Unique group name.
             * @example runtime:lava-collabora:node-editor
             */
            name: string;
        };
        GroupDto: {
            /**
             * @description ObjectId of the group.
             * @example 648ff894bd39930355ed16ad
             */
            id: string;
            /**
             * @description Unique name; `node:edit:any`, `runtime:<R>:node-editor` and `runtime:<R>:node-admin` grant node edits.
             * @example kernelci
             */
            name: string;
        };
        GroupListDto: {
            /** @description The groups of this page. */
            items: components["schemas"]["GroupDto"][];
            /**
             * @description The effective page size.
             * @example 50
             */
            limit: number;
            /**
             * @description The effective offset.
             * @example 0
             */
            offset: number;
            /**
             * @description Number of items matching the filter, ignoring limit and offset.
             * @example 1
             */
            total: number;
        };
        HierarchyNodeDto: {
            /** @description The nodes directly below it; required, may be empty. */
            child_nodes: components["schemas"]["HierarchyNodeDto"][];
            /** @description The node at this level; the root's id is taken from the path. */
            node: components["schemas"]["NodeInputDto"];
        };
        InternalErrorDto: {
            /** @description Always `Internal server error, check container logs`. */
            message: string;
        };
        InviteDto: {
            /**
             * Format: email
             * @description Where the invite is mailed.
             * @example bob@example.org
             */
            email: string;
            /**
             * @description Names of existing groups for a new account.
             * @default []
             * @example [
             *       "kernelci"
             *     ]
             */
            groups: string[];
            /**
             * @description Make the new account a superuser.
             * @default false
             */
            is_superuser: boolean;
            /**
             * @description Re-invite a user that exists but has not accepted yet.
             * @default false
             */
            resend_if_exists: boolean;
            /**
             * @description Return the invite URL and token in the response even when the mail was sent.
             * @default false
             */
            return_token: boolean;
            /**
             * @description Mail the invite when SMTP is configured.
             * @default true
             */
            send_email: boolean;
            /**
             * @description Username of the new account.
             * @example bob
             */
            username: string;
        };
        InviteResultDto: {
            /**
             * @description The accept-invite page.
             * @example https://api.example.org/user/accept-invite
             */
            accept_invite_url: string;
            /** @description True when the invite mail was delivered to the SMTP server. */
            email_sent: boolean;
            /**
             * @description `<accept_invite_url>?token=…`; set when `return_token` is true or the requested mail was not sent.
             * @example https://api.example.org/user/accept-invite?token=eyJ…
             */
            invite_url: string | null;
            /**
             * @description Base URL of this API as users reach it.
             * @example https://api.example.org
             */
            public_base_url: string;
            /** @description The invite token; set under the same conditions as `invite_url`. */
            token: string | null;
            /** @description The invited user. */
            user: components["schemas"]["UserDto"];
        };
        InviteUrlDto: {
            /**
             * @description The accept-invite page.
             * @example https://api.example.org/user/accept-invite
             */
            accept_invite_url: string;
            /**
             * @description Base URL of this API as users reach it.
             * @example https://api.example.org
             */
            public_base_url: string;
        };
        /** @description `data` of a job node (KernelCI's `Job` model). Unknown keys are stored as sent. */
        JobData: {
            arch?: string | null;
            compiler?: string | null;
            config_full?: string | null;
            defconfig?: string | null;
            device?: string | null;
            error_code?: components["schemas"]["ErrorCode"] | null;
            error_msg?: string | null;
            job_context?: string | null;
            job_id?: string | null;
            kernel_revision?: components["schemas"]["Revision"] | null;
            kernel_type?: string | null;
            misc?: {
                [key: string]: unknown;
            } | null;
            platform?: string | null;
            /** @description A node id. */
            regression?: string | null;
            runtime?: string | null;
            test_revision?: components["schemas"]["Revision"] | null;
            /**
             * Format: uri
             * @description An absolute URL.
             */
            test_source?: string | null;
        } & {
            [key: string]: unknown;
        };
        /** @description `data` of a kbuild node (KernelCI's `Kbuild` model). Unknown keys are stored as sent. */
        KbuildData: {
            arch?: string | null;
            compiler?: string | null;
            config_full?: string | null;
            defconfig?: string | null;
            error_code?: components["schemas"]["ErrorCode"] | null;
            error_msg?: string | null;
            fragments?: string[] | null;
            job_context?: string | null;
            job_id?: string | null;
            kernel_revision?: components["schemas"]["Revision"] | null;
            kernel_type?: string | null;
            platform?: string | null;
            /** @description A node id. */
            regression?: string | null;
            runtime?: string | null;
        } & {
            [key: string]: unknown;
        };
        /** @description The `KernelVersion` model of KernelCI. */
        KernelVersion: {
            extra?: string | null;
            name?: string | null;
            patchlevel: number;
            /** @description Also accepts a decimal string. */
            sublevel?: number | null;
            version: number;
        } & {
            [key: string]: unknown;
        };
        ListenMessageDto: {
            /** @example node */
            channel: string;
            /**
             * @description The CloudEvent as a JSON string; a keep-alive carries `"data": "BEEP"`.
             * @example {\specversion\: \1.0\, \id\: \3f0b7e7c-5d0e-4a53-9d0a-1b2f0c9e8a11\, \source\: \https://api.kernelci.org/\, \type\: \api.kernelci.org\, \time\: \2024-01-04T10:48:39.974000+00:00\, \data\: {\op\: \created\}, \owner\: \bob\, \_sequence_id\: 12345}
             */
            data: string;
            /** @enum {string|null} */
            pattern: null;
            /** @enum {string} */
            type: "message";
        };
        LiveDto: {
            /**
             * @description Always `ok` while the process runs its event loop.
             * @example ok
             */
            status: string;
        };
        LoginFormDto: {
            /** @description Ignored. */
            client_id?: string;
            /** @description Ignored. */
            client_secret?: string;
            /**
             * @description Optional; when present it must be `password`.
             * @enum {string}
             */
            grant_type?: "password";
            /** @description The account's password. */
            password: string;
            /** @description Ignored. */
            scope?: string;
            /** @description The account's username (not its email). */
            username: string;
        };
        NodeDto: {
            /**
             * @description Links to files produced for the node: name → URL.
             * @example {
             *       "tarball": "https://storage.example.org/linux.tar.gz"
             *     }
             */
            artifacts: {
                [key: string]: string;
            } | null;
            /**
             * @description Creation time, naive UTC.
             * @example 2024-01-14T08:15:42.454000
             */
            created: string;
            /**
             * @description Kind-specific data (docs/nodes.md#model).
             * @example {
             *       "kernel_revision": {
             *         "tree": "mainline",
             *         "url": "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git",
             *         "branch": "master",
             *         "commit": "052d534373b7ed33712a63d5e17b2b6cdbce84fd",
             *         "describe": "v6.7-9928-g052d534373b7",
             *         "version": {
             *           "version": 6,
             *           "patchlevel": 7,
             *           "extra": "-9928-g052d534373b7"
             *         }
             *       }
             *     }
             */
            data: {
                [key: string]: unknown;
            } | null;
            /**
             * @description Free-form debugging information.
             * @example {}
             */
            debug: {
                [key: string]: unknown;
            } | null;
            /** @description Name of a group this node belongs to. */
            group: string | null;
            /**
             * @description Earliest time an available node may move on, naive UTC.
             * @example 2024-01-14T08:46:39.040000
             */
            holdoff: string | null;
            /**
             * @description Node id (24 lowercase hexadecimal characters).
             * @example 65a3982ee98651d0fe82b010
             */
            id: string;
            /** @description Restricts the jobs the scheduler may create below this node. */
            jobfilter: string[] | null;
            /**
             * @description Kind of node.
             * @example checkout
             */
            kind: string;
            /**
             * @description Name of the node.
             * @example checkout
             */
            name: string;
            /**
             * @description Username of the owner.
             * @example production
             */
            owner: string | null;
            /** @description Id of the parent node. */
            parent: string | null;
            /**
             * @description Names from the top-level node down to this one.
             * @example [
             *       "checkout"
             *     ]
             */
            path: string[];
            /**
             * @description Restricts the platforms of child test jobs.
             * @example []
             */
            platform_filter: string[] | null;
            /**
             * @description Whether the KCIDB bridge has exported the node since its last change.
             * @example true
             */
            processed_by_kcidb_bridge: boolean;
            /**
             * @description Result of the work the node stands for.
             * @example pass
             */
            result: components["schemas"]["NodeResult"] | null;
            /**
             * @description How many times the node's job was retried.
             * @example 0
             */
            retry_counter: number;
            /**
             * @description Lifecycle state.
             * @example done
             */
            state: components["schemas"]["NodeState"];
            /** @description Who submitted the node. */
            submitter: string | null;
            /**
             * @description Time by which the node must be done, naive UTC.
             * @example 2024-01-14T14:15:42.344000
             */
            timeout: string;
            /**
             * @description Identifier of the tree of nodes this node belongs to.
             * @example b1c2d3e4
             */
            treeid: string | null;
            /**
             * @description Last update time, naive UTC.
             * @example 2024-01-14T09:16:47.689000
             */
            updated: string;
            /**
             * @description Names of user groups allowed to edit the node.
             * @example []
             */
            user_groups: string[];
        };
        NodeInputDto: {
            /** @description Links to files produced for the node: name → absolute http or https URL; defaults to `{}`. */
            artifacts?: {
                [key: string]: string;
            } | null;
            /** @description Creation time (ISO 8601, UTC when without offset); defaults to now. */
            created?: string;
            /** @description Kind-specific data (docs/nodes.md#model); defaults to `{}`. */
            data?: {
                [key: string]: unknown;
            } | null;
            /** @description Free-form debugging information; defaults to `{}`. */
            debug?: {
                [key: string]: unknown;
            } | null;
            /** @description Name of a group this node belongs to. */
            group?: string | null;
            /** @description Earliest time an available node may move on. */
            holdoff?: string | null;
            /** @description Node id: must be absent or null on create; ignored by PUT, which takes the id from the path. */
            id?: string | null;
            /** @description Restricts the jobs the scheduler may create below this node. */
            jobfilter?: string[] | null;
            /** @description Kind of node, one of checkout, kbuild, test, job, process, regression; defaults to `node`, which writes refuse. */
            kind?: string;
            /** @description Name of the node. */
            name: string;
            /** @description Username of the owner; the server sets it to the creator on create. */
            owner?: string | null;
            /** @description Id of the parent node, which must exist on create. */
            parent?: string | null;
            /** @description Names from the top-level node down to this one. */
            path: string[];
            /** @description Restricts the platforms of child test jobs; defaults to `[]`. */
            platform_filter?: string[] | null;
            /** @description Whether the KCIDB bridge has exported the node since its last change. */
            processed_by_kcidb_bridge?: boolean;
            /** @description Result of the work the node stands for. */
            result?: components["schemas"]["NodeResult"] | null;
            /** @description How many times the node's job was retried; a JSON integer. */
            retry_counter?: number;
            /** @description Lifecycle state; defaults to `running`. */
            state?: components["schemas"]["NodeState"];
            /** @description Who submitted the node; set on create, never changed by PUT. */
            submitter?: string | null;
            /** @description Time by which the node must be done; defaults to now + 6 h. */
            timeout?: string;
            /** @description Identifier of the tree of nodes this node belongs to. */
            treeid?: string | null;
            /** @description Last update time; the server sets it to now on every write. */
            updated?: string;
            /** @description Names of existing user groups allowed to edit the node, without duplicates. */
            user_groups?: string[];
        };
        /**
         * @description A node kind that writes accept.
         * @enum {string}
         */
        NodeKind: "checkout" | "kbuild" | "job" | "test" | "process" | "regression";
        /** @description The `data` model of each node kind. */
        NodeKindData: {
            checkout: components["schemas"]["CheckoutData"];
            job: components["schemas"]["JobData"];
            kbuild: components["schemas"]["KbuildData"];
            process: components["schemas"]["ProcessData"];
            regression: components["schemas"]["RegressionData"];
            test: components["schemas"]["TestData"];
        };
        NodeListDto: {
            /** @description The nodes of this page. */
            items: components["schemas"]["NodeDto"][];
            /**
             * @description The effective page size.
             * @example 50
             */
            limit: number;
            /**
             * @description Present only when the request used `sort` or `cursor`: pass it as `cursor` to get the next
             *     page, or null on the last page (docs/nodes.md#endpoints).
             * @example eyJzIjoiaWQiLCJmIjoi…
             */
            next_cursor?: string | null;
            /**
             * @description The effective offset.
             * @example 0
             */
            offset: number;
            /**
             * @description Number of items matching the filter, ignoring limit and offset.
             * @example 1
             */
            total: number;
        };
        NodePatchDto: {
            /** @description Replaces the whole artifact map; URLs are checked with the node's kind (400). */
            artifacts?: {
                [key: string]: string;
            } | null;
            /** @description Replaces the whole `data` (no deep merge). */
            data?: {
                [key: string]: unknown;
            } | null;
            /** @description Replaces the whole `debug`. */
            debug?: {
                [key: string]: unknown;
            } | null;
            /** @description New earliest time an available node may move on, or null. */
            holdoff?: string | null;
            /** @description Replaces the job filter. */
            jobfilter?: string[] | null;
            /** @description Replaces the platform filter. */
            platform_filter?: string[] | null;
            /** @description Sets the KCIDB export flag; when absent the flag is cleared. */
            processed_by_kcidb_bridge?: boolean;
            /** @description New result, or null to clear it. */
            result?: components["schemas"]["NodeResult"] | null;
            /** @description New lifecycle state; must follow the state machine. */
            state?: components["schemas"]["NodeState"];
            /** @description New time by which the node must be done. */
            timeout?: string;
        };
        /**
         * @description Result of the work the node stands for.
         * @enum {string}
         */
        NodeResult: "pass" | "fail" | "skip" | "incomplete";
        /**
         * @description Lifecycle state.
         * @enum {string}
         */
        NodeState: "running" | "available" | "closing" | "done";
        /** @description The state machine: for each state, the states a node may move to (staying is always allowed; nothing leaves `done`). */
        NodeStateTransitions: {
            available: ("closing" | "done")[];
            closing: "done"[];
            done: never[];
            running: ("available" | "closing" | "done")[];
        };
        /** @description `data` of a process node: any object, stored as sent. */
        ProcessData: {
            [key: string]: unknown;
        };
        PublishEventDto: {
            /** @description Extra CloudEvent attributes; `owner`, `type` and `source` cannot be overridden, `id`, `time` and `specversion` can. */
            attributes?: {
                [key: string]: unknown;
            };
            /** @description The event payload; when present it must be truthy. Omitted: `data: null` is published. */
            data?: ({
                [key: string]: unknown;
            } | unknown[] | string | number | boolean) | null;
            /** @description CloudEvent `source`; defaults to CLOUD_EVENTS_SOURCE. */
            source?: string;
            /**
             * @description CloudEvent `type`.
             *     @default "api.kernelci.org"
             */
            type?: string;
        };
        QueueEventDto: {
            /** @description The payload */
            data: ({
                [key: string]: unknown;
            } | unknown[] | string | number | boolean) | null;
            /** @example 3f0a5a62-1d3c-4a8e-9d59-0d9f3b1f6a21 */
            id: string;
            /** @example https://api.kernelci.org/ */
            source: string;
            /** @example 1.0 */
            specversion: string;
            /** @example 2026-03-02T10:15:00.250000+00:00 */
            time: string;
            /** @example api.kernelci.org */
            type: string;
        };
        QueuePushDto: {
            /** @description The event payload */
            data: ({
                [key: string]: unknown;
            } | unknown[] | string | number | boolean) | null;
            /** @description CloudEvent `source`; defaults to CLOUD_EVENTS_SOURCE. */
            source?: string;
            /**
             * @description CloudEvent `type`.
             *     @default "api.kernelci.org"
             */
            type?: string;
        };
        ReadinessChecksDto: {
            /**
             * @description `ok`, or why the database check failed (unreachable, migration pending, schema too new).
             * @example ok
             */
            database: string;
            /**
             * @description `ok`, or `disconnected` while the Redis notifier (REDIS_URL) has lost its connection.
             * @example ok
             */
            notifier: string;
        };
        ReadyDto: {
            /** @description One entry per dependency. */
            checks: components["schemas"]["ReadinessChecksDto"];
            /**
             * @description `ready` (200) or `unavailable` (503).
             * @example ready
             * @enum {string}
             */
            status: "ready" | "unavailable";
        };
        RealtimeAckDto: {
            sequence_id: number;
            subscription: number;
        };
        RealtimeAckResultDto: {
            /** @description The cursor after the acknowledgement (it never moves backwards). */
            cursor: number;
            /** @enum {boolean} */
            ok: true;
        };
        RealtimeErrorDto: {
            detail: string;
            /** @enum {boolean} */
            ok: false;
            /** @enum {integer} */
            status: 401 | 403 | 404 | 409 | 422;
        };
        RealtimeEventMessageDto: {
            channel: string;
            /** @description The CloudEvent, including `_sequence_id`, with its original `id`. */
            event: components["schemas"]["CloudEventDto"];
            sequence_id: number;
            subscription: number;
        };
        RealtimeOkDto: {
            /** @enum {boolean} */
            ok: true;
        };
        RealtimeSubscribeAckDto: {
            channel: string;
            /** @description Sequence id after which delivery starts. */
            cursor: number;
            /** @enum {boolean} */
            ok: true;
            /** @description Oldest retained sequence id of the channel, null when it has no event. */
            oldest_sequence_id: number | null;
            promiscuous: boolean;
            subscriber_id: string | null;
            subscription: number;
        };
        RealtimeSubscribeDto: {
            /** @example node */
            channel: string;
            /**
             * @description Payload filter: keys `kind`, `state`, `result`, `op`, `name`, `group`, `owner`, `id`, `path`;
             *     each value a string or a list of strings (any of); keys are ANDed.
             * @example {
             *       "kind": "kbuild",
             *       "state": [
             *         "done",
             *         "available"
             *       ]
             *     }
             */
            filter?: {
                [key: string]: string | string[];
            };
            /** @description Start delivery after this sequence id (replays retained events). */
            from_sequence?: number;
            /** @description Receive events about every user's nodes, not only ownerless events and the caller's. */
            promisc?: boolean;
            /**
             * @description Durable subscriber id: the cursor is kept across connections and shared with HTTP.
             * @example scheduler:node
             */
            subscriber_id?: string;
        };
        RealtimeSubscriptionClosedDto: {
            reason: components["schemas"]["SubscriptionClosedReason"];
            subscription: number;
        };
        RealtimeUnsubscribeDto: {
            subscription: number;
        };
        /** @description `data` of a regression node (KernelCI's `Regression` model). Unknown keys are stored as sent. */
        RegressionData: {
            arch?: string | null;
            compiler?: string | null;
            config_full?: string | null;
            defconfig?: string | null;
            device?: string | null;
            error_code?: components["schemas"]["ErrorCode"] | null;
            error_msg?: string | null;
            /** @description A node id. */
            fail_node?: string | null;
            failed_kernel_revision?: components["schemas"]["Revision"] | null;
            node_sequence?: string[] | null;
            /** @description A node id. */
            pass_node?: string | null;
            platform?: string | null;
        } & {
            [key: string]: unknown;
        };
        ResetPasswordDto: {
            /** @description The new password. */
            password: string;
            /** @description The reset token (mailed, or logged without SMTP). */
            token: string;
        };
        ResultAnomalyDto: {
            /** @description Every job of the group failed or was incomplete. */
            constant_failure: boolean;
            /** @description Every job of the group was an infrastructure error. */
            constant_infra_failure: boolean;
            /** @description Only with `scope=device`. */
            device_id?: string | null;
            device_type: string | null;
            fail: number;
            /**
             * @description (fail + incomplete) / total.
             * @example 1
             */
            fail_rate: number;
            incomplete: number;
            infra_error: number;
            /**
             * @description infra_error / total.
             * @example 1
             */
            infra_rate: number;
            /** @description Same as `runtime`. */
            lab: string;
            /**
             * @description Time of the newest event, naive UTC.
             * @example 2026-07-21T01:24:01.322000
             */
            last_seen: string;
            /** @description `error_msg` of the newest event. */
            latest_error_msg: string | null;
            /** @description `error_type` of the newest event. */
            latest_error_type: string | null;
            pass: number;
            /** @example lava-collabora */
            runtime: string;
            skip: number;
            total: number;
        };
        /** @description The `Revision` model of KernelCI. */
        Revision: {
            branch: string;
            commit: string;
            commit_message?: string | null;
            commit_tags?: string[] | null;
            describe?: string | null;
            patchset?: string | null;
            /** @description Also accepts pydantic's boolean words ("yes", "off", 1, 0…). */
            tip_of_branch?: boolean | null;
            tree: string;
            /**
             * Format: uri
             * @description An absolute URL.
             */
            url: string;
            version?: components["schemas"]["KernelVersion"] | null;
        } & {
            [key: string]: unknown;
        };
        RootDto: {
            /**
             * @description Always `KernelCI API`.
             * @example KernelCI API
             */
            message: string;
        };
        /** @enum {string} */
        SubscriptionClosedReason: "replaced" | "unsubscribed" | "expired" | "unauthorized";
        SubscriptionDto: {
            /** @example node */
            channel: string;
            /**
             * @description Subscription id, from a deployment-wide counter: unique, increasing, never reused.
             * @example 801
             */
            id: number;
            /** @description Whether the subscription receives events about other users' nodes. */
            promiscuous: boolean;
            /**
             * @description Username of the subscriber.
             * @example bob
             */
            user: string;
        };
        SubscriptionStatsDto: {
            /** @example node */
            channel: string;
            /**
             * @description Creation time, naive UTC.
             * @example 2025-01-12T08:30:00.123000
             */
            created: string;
            /** @example 801 */
            id: number;
            /**
             * @description Time of the last listen (or socket.io activity), null before the first one.
             * @example 2025-01-12T08:31:10.001000
             */
            last_poll: string | null;
            promiscuous: boolean;
            /**
             * @description Durable subscriber id, null for a non-durable subscription.
             * @example scheduler:node
             */
            subscriber_id: string | null;
            transport: components["schemas"]["SubscriptionTransport"];
            /** @example bob */
            user: string;
        };
        /** @enum {string} */
        SubscriptionTransport: "http" | "socket.io";
        TelemetryAnomaliesDto: {
            error_anomalies: components["schemas"]["ErrorAnomalyDto"][];
            /** @example 3 */
            min_total: number;
            result_anomalies: components["schemas"]["ResultAnomalyDto"][];
            /** @enum {string} */
            scope: "device_type" | "device";
            /**
             * @description Start of the window, naive UTC.
             * @example 2026-07-20T19:24:01.322000
             */
            since: string;
            /** @example 0.5 */
            threshold: number;
            /** @example 6h */
            window: string;
        };
        TelemetryEventDto: {
            arch: string | null;
            branch: string | null;
            device_id: string | null;
            device_type: string | null;
            error_msg: string | null;
            error_type: string | null;
            extra: {
                [key: string]: unknown;
            };
            /** @example 65a1c9f0e7d4b3a2c1f0e9d9 */
            id: string;
            is_infra_error: boolean;
            job_id: string | null;
            job_name: string | null;
            /** @example job_result */
            kind: string;
            node_id: string | null;
            result: string | null;
            retry: number;
            /** @example lava-collabora */
            runtime: string;
            test_name: string | null;
            tree: string | null;
            /**
             * @description Naive UTC.
             * @example 2026-03-02T10:15:00.250000
             */
            ts: string;
        };
        TelemetryEventInputDto: {
            /** @example arm64 */
            arch?: string | null;
            /** @example master */
            branch?: string | null;
            /** @example rpi4-03 */
            device_id?: string | null;
            /** @example bcm2711-rpi-4-b */
            device_type?: string | null;
            /** @example bootloader-commands timed out after 180 seconds */
            error_msg?: string | null;
            /** @example Infrastructure */
            error_type?: string | null;
            /** @description Free-form details. */
            extra?: {
                [key: string]: unknown;
            };
            /** @description @default false */
            is_infra_error?: boolean;
            /** @example 1234567 */
            job_id?: string | null;
            /** @example baseline-arm64 */
            job_name?: string | null;
            /** @example job_result */
            kind: string;
            /** @example 65a1c9f0e7d4b3a2c1f0e9d8 */
            node_id?: string | null;
            /**
             * @description `pass`, `fail`, `incomplete` or `skip` are counted by stats; any other text is stored.
             * @example incomplete
             */
            result?: string | null;
            /** @description @default 0 */
            retry?: number;
            /**
             * @description Runtime (lab) that ran or refused the job.
             * @example lava-collabora
             */
            runtime: string;
            test_name?: string | null;
            /** @example mainline */
            tree?: string | null;
            /**
             * @description Event time: ISO 8601, naive means UTC.
             * @example 2026-03-02T10:15:00.250000
             */
            ts?: string | null;
        };
        TelemetryInsertedDto: {
            /** @example 2 */
            inserted: number;
        };
        TelemetryPageDto: {
            items: components["schemas"]["TelemetryEventDto"][];
            /**
             * @description The effective page size.
             * @example 50
             */
            limit: number;
            /**
             * @description The effective offset.
             * @example 0
             */
            offset: number;
            /**
             * @description Number of items matching the filter, ignoring limit and offset.
             * @example 1
             */
            total: number;
        };
        TelemetryStatsRowDto: {
            arch?: string | null;
            branch?: string | null;
            device_id?: string | null;
            device_type?: string | null;
            error_type?: string | null;
            fail: number;
            incomplete: number;
            /** @description Events with `is_infra_error: true`. */
            infra_error: number;
            job_name?: string | null;
            kind?: string | null;
            /** @description Same value as `runtime`, under the name `lab`. */
            lab?: string | null;
            pass: number;
            runtime?: string | null;
            skip: number;
            /** @example 12 */
            total: number;
            tree?: string | null;
        };
        /** @description `data` of a test node (KernelCI's `Test` model). Unknown keys are stored as sent. */
        TestData: {
            arch?: string | null;
            compiler?: string | null;
            config_full?: string | null;
            defconfig?: string | null;
            device?: string | null;
            error_code?: components["schemas"]["ErrorCode"] | null;
            error_msg?: string | null;
            job_context?: string | null;
            job_id?: string | null;
            kernel_revision?: components["schemas"]["Revision"] | null;
            kernel_type?: string | null;
            misc?: {
                [key: string]: unknown;
            } | null;
            platform?: string | null;
            /** @description A node id. */
            regression?: string | null;
            runtime?: string | null;
            test_revision?: components["schemas"]["Revision"] | null;
            /**
             * Format: uri
             * @description An absolute URL.
             */
            test_source?: string | null;
        } & {
            [key: string]: unknown;
        };
        UpdatePasswordFormDto: {
            /** @description The new password; when absent nothing changes (the credentials are only checked). */
            new_password?: string;
            /** @description The current password. */
            password: string;
            /** @description The account's username. */
            username: string;
        };
        UserDto: {
            /**
             * @description Unique case-insensitively; kept in the case it was given.
             * @example alice@example.org
             */
            email: string;
            /** @description The user's groups. */
            groups: components["schemas"]["UserGroupDto"][];
            /**
             * @description ObjectId of the user.
             * @example 6526448e7d140ee220971a0e
             */
            id: string;
            /** @description Inactive users cannot authenticate. */
            is_active: boolean;
            /** @description Superusers pass every admin check and may edit every node. */
            is_superuser: boolean;
            /** @description Unverified users cannot log in, nor call `/whoami` or `/user/logout`. */
            is_verified: boolean;
            /**
             * @description Unique; the login name.
             * @example alice
             */
            username: string;
        };
        UserGroupDto: {
            /**
             * @description ObjectId of the group.
             * @example 648ff894bd39930355ed16ad
             */
            id: string;
            /**
             * @description Unique group name, e.g. `kernelci` or `runtime:lava-collabora:node-editor`.
             * @example kernelci
             */
            name: string;
        };
        UserListDto: {
            /** @description The users of this page. */
            items: components["schemas"]["UserDto"][];
            /**
             * @description The effective page size.
             * @example 50
             */
            limit: number;
            /**
             * @description The effective offset.
             * @example 0
             */
            offset: number;
            /**
             * @description Number of items matching the filter, ignoring limit and offset.
             * @example 1
             */
            total: number;
        };
        UserPatchDto: {
            /**
             * Format: email
             * @description New email; changing it clears `is_verified` (unless an admin sets it in the same request).
             * @example alice@example.org
             */
            email?: string;
            /**
             * @description Admin only: group names that replace the user's groups; an empty list changes nothing.
             * @example [
             *       "kernelci"
             *     ]
             */
            groups?: string[];
            /** @description Admin only. */
            is_active?: boolean;
            /** @description Admin only. */
            is_superuser?: boolean;
            /** @description Admin only. */
            is_verified?: boolean;
            /** @description New password (any string). */
            password?: string;
            /**
             * @description New username; must not belong to another user.
             * @example alice
             */
            username?: string;
        };
        ValidationErrorDto: {
            /** @description One entry per problem. */
            detail: components["schemas"]["ValidationIssueDto"][];
        };
        ValidationIssueDto: {
            /** @description The offending value */
            input?: (string | number | boolean | Record<string, never> | unknown[]) | null;
            /**
             * @description Where: `body`, `query`, `path` or `header`, then the field path.
             * @example [
             *       "body",
             *       "name"
             *     ]
             */
            loc: (string | number)[];
            /** @description Human-readable message. */
            msg: string;
            /** @description Machine-readable kind of problem, e.g. `missing`. */
            type: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getRoot: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RootDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    batchUpdateNodes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BatchNodesetDto"];
            };
        };
        responses: {
            /** @description Number of nodes updated */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": number;
                };
            };
            /** @description Malformed id, `Field not supported` or `Value not supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Field not supported"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /**
             * @description No valid token
             *
             *     Missing, invalid or expired token, or inactive user
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Node not found with id: <id>` (earlier nodes stay updated) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Node not found with id: 65a3982ee98651d0fe82b010"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Request body too large` (above MAX_REQUEST_BODY_BYTES, 32 MiB by default) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Request body too large"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    countNodes: {
        parameters: {
            query?: {
                /** @description Query-language conditions (docs/nodes.md#query-language): `field=value` or `field__op=value` with op one of lt, lte, gt, gte, ne, re, in, nin, int; dotted paths into data */
                filters?: {
                    [key: string]: string;
                };
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Number of matching nodes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": number;
                };
            };
            /** @description A filter value that cannot be converted or an invalid regular expression */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Bad Request"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    listEvents: {
        parameters: {
            query?: {
                /** @description e.g. `kind=kbuild&state=done&from=2025-01-12T08:00:00&limit=100` */
                filters?: {
                    [key: string]: string;
                };
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventDto"][];
                };
            };
            /** @description A malformed `id`, `ids`, `from`, `limit` or `offset`, conflicting parameters, or a recursive limit above 1000 */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Bad Request"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    live: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LiveDto"];
                };
            };
        };
    };
    get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
                namespace: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": string | null;
                };
            };
            /** @description Namespace or key too long */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Bad Request"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    set: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
                namespace: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": string;
                "text/plain": string;
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": "OK";
                };
            };
            /** @description Namespace or key too long, or value larger than 1 MiB */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Bad Request"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Failed to set key-value pair` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Failed to set key-value pair"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
                namespace: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": "Key-value pair deleted successfully";
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    listen: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                sub_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListenMessageDto"];
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Error while listening to sub id <id>: Subscription <id> not owned by <username>` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Error while listening to sub id 65a3982ee98651d0fe82b010: Subscription 65a3982ee98651d0fe82b010 not owned by x"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Subscription id not found: 'Subscription <id> not found'` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Subscription id not found: 'Subscription 65a3982ee98651d0fe82b010 not found'"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    createNode: {
        parameters: {
            query?: never;
            header?: {
                /** @description 1–255 visible ASCII characters, unique per creation (e.g. `lab-42-job-1234-submit`); a retry with the same key and body replays the first answer (see docs/nodes.md) */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "kind": "checkout",
                 *       "name": "checkout",
                 *       "path": [
                 *         "checkout"
                 *       ],
                 *       "group": null,
                 *       "state": "running",
                 *       "data": {
                 *         "kernel_revision": {
                 *           "tree": "mainline",
                 *           "url": "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git",
                 *           "branch": "master",
                 *           "commit": "052d534373b7ed33712a63d5e17b2b6cdbce84fd",
                 *           "describe": "v6.13-rc3"
                 *         }
                 *       },
                 *       "artifacts": {
                 *         "tarball": "https://storage.example.org/mainline/v6.13-rc3/linux.tar.gz"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["NodeInputDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    /** @description Version of the node, for If-Match */
                    ETag?: string;
                    /** @description `true` on a replayed answer */
                    "Idempotent-Replayed"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NodeDto"];
                };
            };
            /** @description Unsupported kind, kind validation report, unknown group, an `id` in the body, or a malformed Idempotency-Key */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Bad Request"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /**
             * @description No valid token
             *
             *     Missing, invalid or expired token, or inactive user
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Parent not found with id: <id>` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Parent not found with id: 65a3982ee98651d0fe82b010"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description A request with this Idempotency-Key is still executing */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Conflict"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Request body too large` (above MAX_REQUEST_BODY_BYTES, 32 MiB by default) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Request body too large"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed, a body the database cannot keep faithfully (docs/security.md#input-limits), or a reused Idempotency-Key */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    getNode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Node id (24 hexadecimal characters) */
                node_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The node, or null when no node has that id */
            200: {
                headers: {
                    /** @description Version of the node, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NodeDto"] | null;
                };
            };
            /** @description Malformed ObjectId */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Bad Request"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    updateNode: {
        parameters: {
            query?: {
                /** @description true/false, 1/0, yes/no, on/off: when true, no `updated` event is published */
                noevent?: string;
            };
            header?: {
                /** @description Write only if the node still has one of these ETags (or `*`), e.g. the `ETag` of your last read; 412 otherwise (see docs/nodes.md) */
                "If-Match"?: string;
            };
            path: {
                /** @description Node id (24 hexadecimal characters) */
                node_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "kind": "checkout",
                 *       "name": "checkout",
                 *       "path": [
                 *         "checkout"
                 *       ],
                 *       "state": "done",
                 *       "result": "pass",
                 *       "data": {
                 *         "kernel_revision": {
                 *           "tree": "mainline",
                 *           "url": "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git",
                 *           "branch": "master",
                 *           "commit": "052d534373b7ed33712a63d5e17b2b6cdbce84fd",
                 *           "describe": "v6.13-rc3"
                 *         }
                 *       },
                 *       "artifacts": {
                 *         "tarball": "https://storage.example.org/mainline/v6.13-rc3/linux.tar.gz"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["NodeInputDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    /** @description Version of the node, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NodeDto"];
                };
            };
            /** @description Malformed id, forbidden transition, kind validation, or parent equal to the node */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Bad Request"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /**
             * @description `Unauthorized` without a valid token; `Unauthorized to complete the operation` when the caller may not edit the node
             *
             *     Missing, invalid or expired token, or inactive user
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized to complete the operation"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Node not found with id: <id>` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Node not found with id: 65a3982ee98651d0fe82b010"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Precondition failed: node has been modified` */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Precondition failed: node has been modified"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Request body too large` (above MAX_REQUEST_BODY_BYTES, 32 MiB by default) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Request body too large"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed, a body the database cannot keep faithfully (docs/security.md#input-limits), or a reused Idempotency-Key */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    patchNode: {
        parameters: {
            query?: {
                /** @description true/false, 1/0, yes/no, on/off: when true, no `updated` event is published */
                noevent?: string;
            };
            header?: {
                /** @description Write only if the node still has one of these ETags (or `*`), e.g. the `ETag` of your last read; 412 otherwise (see docs/nodes.md) */
                "If-Match"?: string;
            };
            path: {
                /** @description Node id (24 hexadecimal characters) */
                node_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "state": "done",
                 *       "result": "pass",
                 *       "data": {
                 *         "error_code": null
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["NodePatchDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    /** @description Version of the node, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NodeDto"];
                };
            };
            /** @description Malformed id, `No fields to update`, forbidden transition or kind validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "No fields to update"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /**
             * @description `Unauthorized` or `Unauthorized to complete the operation`
             *
             *     Missing, invalid or expired token, or inactive user
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized to complete the operation"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Node not found with id: <id>` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Node not found with id: 65a3982ee98651d0fe82b010"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Precondition failed: node has been modified` */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Precondition failed: node has been modified"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Request body too large` (above MAX_REQUEST_BODY_BYTES, 32 MiB by default) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Request body too large"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed, a body the database cannot keep faithfully (docs/security.md#input-limits), or a reused Idempotency-Key */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    listNodes: {
        parameters: {
            query?: {
                /** @description The `next_cursor` of the previous page, with the same filter and sort (opaque) */
                cursor?: string;
                /** @description Query-language conditions (docs/nodes.md#query-language): `field=value` or `field__op=value` with op one of lt, lte, gt, gte, ne, re, in, nin, int; dotted paths into data */
                filters?: {
                    [key: string]: string;
                };
                /** @description Page size, at least 1 */
                limit?: number;
                /** @description Matches to skip; must be absent or 0 with `cursor` (default 0) */
                offset?: number;
                /** @description Order: `id`, `created` or `updated`, `-` prefix for descending (e.g. `-created`); ties broken by id */
                sort?: "id" | "-id" | "created" | "-created" | "updated" | "-updated";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NodeListDto"];
                };
            };
            /** @description A filter value that cannot be converted, an invalid regular expression, sort field or cursor */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Bad Request"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    submitHierarchy: {
        parameters: {
            query?: never;
            header?: {
                /** @description 1–255 visible ASCII characters, unique per creation (e.g. `lab-42-job-1234-submit`); a retry with the same key and body replays the first answer (see docs/nodes.md) */
                "Idempotency-Key"?: string;
                /** @description Write only if the node still has one of these ETags (or `*`), e.g. the `ETag` of your last read; 412 otherwise (see docs/nodes.md) */
                "If-Match"?: string;
            };
            path: {
                /** @description Node id (24 hexadecimal characters) */
                node_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "node": {
                 *         "kind": "job",
                 *         "name": "baseline-x86",
                 *         "path": [
                 *           "checkout",
                 *           "kbuild-gcc-12-x86",
                 *           "baseline-x86"
                 *         ],
                 *         "state": "done",
                 *         "result": "fail"
                 *       },
                 *       "child_nodes": [
                 *         {
                 *           "node": {
                 *             "kind": "test",
                 *             "name": "login",
                 *             "path": [
                 *               "checkout",
                 *               "kbuild-gcc-12-x86",
                 *               "baseline-x86",
                 *               "login"
                 *             ],
                 *             "state": "done",
                 *             "result": "pass"
                 *           },
                 *           "child_nodes": []
                 *         },
                 *         {
                 *           "node": {
                 *             "kind": "test",
                 *             "name": "dmesg",
                 *             "path": [
                 *               "checkout",
                 *               "kbuild-gcc-12-x86",
                 *               "baseline-x86",
                 *               "dmesg"
                 *             ],
                 *             "state": "done",
                 *             "result": "fail"
                 *           },
                 *           "child_nodes": []
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["HierarchyNodeDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    /** @description Version of the node, for If-Match */
                    ETag?: string;
                    /** @description `true` on a replayed answer */
                    "Idempotent-Replayed"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NodeDto"][];
                };
            };
            /** @description Malformed id, `No object found with id: <id>`, parent equal to a node, kind validation, or a malformed Idempotency-Key */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "No object found with id: 65a3982ee98651d0fe82b010"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /**
             * @description `Unauthorized` or `Unauthorized to complete the operation`
             *
             *     Missing, invalid or expired token, or inactive user
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized to complete the operation"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Node not found with id: <id>` (the root) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Node not found with id: 65a3982ee98651d0fe82b010"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description A request with this Idempotency-Key is still executing */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Conflict"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Precondition failed: node has been modified` */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Precondition failed: node has been modified"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Request body too large` (above MAX_REQUEST_BODY_BYTES, 32 MiB by default) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Request body too large"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed, a body the database cannot keep faithfully (docs/security.md#input-limits), or a reused Idempotency-Key */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    listNodesFast: {
        parameters: {
            query?: {
                /** @description Query-language conditions (docs/nodes.md#query-language): `field=value` or `field__op=value` with op one of lt, lte, gt, gte, ne, re, in, nin, int; dotted paths into data */
                filters?: {
                    [key: string]: string;
                };
                /** @description Maximum number of nodes; 0 or absent for all */
                limit?: number;
                /** @description Matches to skip */
                offset?: number;
                /** @description Order: `id`, `created` or `updated`, `-` prefix for descending (e.g. `-created`); ties broken by id */
                sort?: "id" | "-id" | "created" | "-created" | "updated" | "-updated";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NodeDto"][];
                };
            };
            /** @description A non-integer limit or offset, a filter value that cannot be converted, or an invalid regular expression */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Bad Request"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
            /** @description `Timeout while fetching nodes: ` */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Timeout while fetching nodes: "
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    pop: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                list_name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The CloudEvent as a JSON object, or null when none arrived in time */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueEventDto"] | null;
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    publishEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                channel: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "data": {
                 *         "message": "lab-42 maintenance starts at 18:00 UTC"
                 *       },
                 *       "type": "api.kernelci.org",
                 *       "source": "https://lab-42.example.org"
                 *     }
                 */
                "application/json": components["schemas"]["PublishEventDto"];
            };
        };
        responses: {
            /** @description null */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": never | null;
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    push: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                list_name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["QueuePushDto"];
            };
        };
        responses: {
            /** @description null */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": never | null;
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReadyDto"];
                };
            };
            /** @description A dependency is not ready */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReadyDto"];
                };
            };
        };
    };
    listSubscriptions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubscriptionStatsDto"][];
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The caller is not a superuser */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Forbidden"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    subscribe: {
        parameters: {
            query?: {
                promisc?: boolean;
                /** @description Stable id of a durable subscriber, e.g. `scheduler:node` */
                subscriber_id?: string;
            };
            header?: never;
            path: {
                channel: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubscriptionDto"];
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Subscriber id is in use by another user` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Subscriber id is in use by another user"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Subscriber id is bound to channel <channel>` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Subscriber id is bound to channel x"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description The caller holds MAX_SUBSCRIPTIONS_PER_USER live subscriptions already */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Too many login attempts, try again later"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    find: {
        parameters: {
            query?: {
                /** @description `true` or `false` in any letter case */
                is_infra_error?: "true" | "false";
                kind?: string;
                /** @description Page size, at least 1 */
                limit?: number;
                /** @description Events to skip (default 0) */
                offset?: number;
                runtime?: string;
                /** @description Events with `ts` at or after this ISO 8601 time */
                since?: string;
                /** @description Events with `ts` at or before this ISO 8601 time */
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TelemetryPageDto"];
                };
            };
            /** @description Invalid `since`/`until`, or `Bad is_infra_error value, use 'true' or 'false'` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Bad is_infra_error value, use 'true' or 'false'"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    add: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TelemetryEventInputDto"][];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TelemetryInsertedDto"];
                };
            };
            /** @description `Events list cannot be empty`, or `Invalid telemetry event: <report>` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Events list cannot be empty"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    anomalies: {
        parameters: {
            query?: {
                min_total?: number;
                scope?: "device_type" | "device";
                threshold?: number;
                window?: "1h" | "3h" | "6h" | "12h" | "24h" | "48h";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TelemetryAnomaliesDto"];
                };
            };
            /** @description `Invalid window '<w>'. Use: 1h, 3h, 6h, 12h, 24h, 48h` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid window 'x'. Use: 1h, 3h, 6h, 12h, 24h, 48h"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    stats: {
        parameters: {
            query: {
                arch?: string;
                branch?: string;
                device_id?: string;
                device_type?: string;
                /** @description Comma list of runtime, lab, device_type, device_id, job_name, tree, branch, arch, kind, error_type */
                group_by: string;
                job_name?: string;
                kind?: string;
                /** @description Same as `runtime`; both must match when both are given */
                lab?: string;
                runtime?: string;
                /** @description Events with `ts` at or after this ISO 8601 time */
                since?: string;
                tree?: string;
                /** @description Events with `ts` at or before this ISO 8601 time */
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TelemetryStatsRowDto"][];
                };
            };
            /** @description `'group_by' parameter is required`, `Invalid group_by fields: {'x'}`, `'lab' and 'runtime' must match when both are provided` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "'group_by' parameter is required"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    unsubscribe: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                sub_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description null */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": never | null;
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Subscription <id> not owned by <username>` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Subscription 65a3982ee98651d0fe82b010 not owned by x"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Subscription id not found: 'Subscription <id> not found'` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Subscription id not found: 'Subscription 65a3982ee98651d0fe82b010 not found'"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    listGroups: {
        parameters: {
            query?: {
                /** @description Page size, at least 1 */
                limit?: number;
                /** @description Exact group name */
                name?: unknown;
                /** @description Matches to skip (default 0) */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GroupListDto"];
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The caller is not a superuser */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Forbidden"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    createGroup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GroupCreateDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GroupDto"];
                };
            };
            /** @description `User group already exists with name: <name>` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "User group already exists with name: x"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The caller is not a superuser */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Forbidden"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    getGroup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                group_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GroupDto"];
                };
            };
            /** @description Malformed ObjectId */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Bad Request"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The caller is not a superuser */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Forbidden"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `User group not found with id: <id>` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "User group not found with id: 65a3982ee98651d0fe82b010"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    deleteGroup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                group_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed ObjectId */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Bad Request"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The caller is not a superuser */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Forbidden"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `User group not found with id: <id>` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "User group not found with id: 65a3982ee98651d0fe82b010"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `User group is assigned to users and cannot be deleted. Remove it from users first.` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "User group is assigned to users and cannot be deleted. Remove it from users first."
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    getUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "6526448e7d140ee220971a0e",
                     *       "email": "alice@example.org",
                     *       "is_active": true,
                     *       "is_superuser": false,
                     *       "is_verified": true,
                     *       "username": "alice",
                     *       "groups": [
                     *         {
                     *           "id": "648ff894bd39930355ed16ad",
                     *           "name": "kernelci"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["UserDto"];
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Not Found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Not Found"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    deleteUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Always `null` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The caller is not a superuser */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Forbidden"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Not Found`: unknown or malformed id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Not Found"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    updateUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "is_verified": true,
                 *       "groups": [
                 *         "kernelci"
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["UserPatchDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserDto"];
                };
            };
            /** @description Malformed ObjectId, `Username already exists: <name>`, `UPDATE_USER_EMAIL_ALREADY_EXISTS` or `User group does not exist with name: <g>` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Username already exists: x"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The caller is not a superuser */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Forbidden"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `User not found with id: <id>` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "User not found with id: 65a3982ee98651d0fe82b010"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    listUserApiTokens: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiTokenDto"][];
                };
            };
            /** @description Malformed ObjectId */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Bad Request"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The caller is not a superuser */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Forbidden"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `User not found with id: <id>` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "User not found with id: 65a3982ee98651d0fe82b010"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    revokeUserApiToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token_id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed ObjectId */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Bad Request"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The caller is not a superuser */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Forbidden"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `User not found with id: <id>` or `Token not found with id: <id>` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "User not found with id: 65a3982ee98651d0fe82b010"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    acceptInvitePage: {
        parameters: {
            query?: {
                /** @description The invite token from the link */
                token?: unknown;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description HTML page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    acceptInvite: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "token": "eyJhbGciOiJIUzI1NiJ9.invite-token-from-the-mail",
                 *       "password": "a long passphrase"
                 *     }
                 */
                "application/json": components["schemas"]["AcceptInviteDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserDto"];
                };
            };
            /** @description `Invalid or expired invite token`, `Invalid invite token`, `User is inactive` or `Invite already accepted` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid or expired invite token"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `User not found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "User not found"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    forgotPassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ForgotPasswordDto"];
            };
        };
        responses: {
            /** @description `null`, or for a superuser caller when no mail was sent `{"email_sent": false, "token": …}` */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ForgotPasswordResultDto"] | null;
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Too many password reset requests, try again later`: too many requests from this address */
            429: {
                headers: {
                    /** @description Seconds until requests are accepted again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Too many password reset requests, try again later"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    inviteUser: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "username": "bob",
                 *       "email": "bob@example.org",
                 *       "groups": [],
                 *       "is_superuser": false,
                 *       "send_email": false,
                 *       "return_token": true,
                 *       "resend_if_exists": false
                 *     }
                 */
                "application/json": components["schemas"]["InviteDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InviteResultDto"];
                };
            };
            /** @description `User already exists`, `User already verified`, `Existing user has a different username`, `Existing user has a different email`, `User group does not exist with name: <g>` or `REGISTER_USER_ALREADY_EXISTS` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "User already exists"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The caller is not a superuser */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Forbidden"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    getInviteUrl: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InviteUrlDto"];
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The caller is not a superuser */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Forbidden"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["LoginFormDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessTokenDto"];
                };
            };
            /** @description `LOGIN_BAD_CREDENTIALS` or `LOGIN_USER_NOT_VERIFIED` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Bad Request"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Too many login attempts, try again later`: too many failed attempts for this username or address (docs/auth.md#login-rate-limit) */
            429: {
                headers: {
                    /** @description Seconds until attempts are checked again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Too many login attempts, try again later"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; the token keeps working */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The caller is not verified */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Forbidden"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    updateMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "email": "alice@example.org"
                 *     }
                 */
                "application/json": components["schemas"]["UserPatchDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserDto"];
                };
            };
            /** @description `User groups can only be updated by an admin user`, `Username already exists: <name>` or `UPDATE_USER_EMAIL_ALREADY_EXISTS` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "User groups can only be updated by an admin user"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    listApiTokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiTokenDto"][];
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    createApiToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "lab-42-submitter",
                 *       "expires_at": null
                 *     }
                 */
                "application/json": components["schemas"]["ApiTokenCreateDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiTokenCreatedDto"];
                };
            };
            /** @description `expires_at must be in the future` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Bad Request"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    revokeApiToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Token not found with id: <id>` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Token not found with id: 65a3982ee98651d0fe82b010"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The caller is not a superuser */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Forbidden"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `User registration is disabled; use /user/invite instead.` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "User registration is disabled; use /user/invite instead."
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    resetPassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "token": "eyJhbGciOiJIUzI1NiJ9.reset-token-from-the-mail",
                 *       "password": "a new long passphrase"
                 *     }
                 */
                "application/json": components["schemas"]["ResetPasswordDto"];
            };
        };
        responses: {
            /** @description Always `null` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            /** @description `RESET_PASSWORD_BAD_TOKEN` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Bad Request"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    updatePassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["UpdatePasswordFormDto"];
            };
        };
        responses: {
            /** @description Always `null` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            /** @description `LOGIN_BAD_CREDENTIALS`: wrong credentials or inactive user */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Bad Request"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Too many login attempts, try again later`: too many failed attempts for this username or address (docs/auth.md#login-rate-limit) */
            429: {
                headers: {
                    /** @description Seconds until attempts are checked again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Too many login attempts, try again later"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    listUsers: {
        parameters: {
            query?: {
                /** @description Exact-match conditions, e.g. `groups.name=kernelci&is_superuser=false` */
                filters?: {
                    [key: string]: string;
                };
                /** @description Page size, at least 1 */
                limit?: number;
                /** @description Matches to skip (default 0) */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserListDto"];
                };
            };
            /** @description `Invalid filter field: hashed_password` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid filter field: hashed_password"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
    whoami: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "6526448e7d140ee220971a0e",
                     *       "email": "alice@example.org",
                     *       "is_active": true,
                     *       "is_superuser": false,
                     *       "is_verified": true,
                     *       "username": "alice",
                     *       "groups": [
                     *         {
                     *           "id": "648ff894bd39930355ed16ad",
                     *           "name": "kernelci"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["UserDto"];
                };
            };
            /** @description Missing, invalid or expired token, or inactive user */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description The caller is not verified */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Forbidden"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed (a list), or an input refused by the request-wide limits (a string: NUL characters, nesting, integers, text length; see docs/security.md) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": [
                     *         {
                     *           "type": "missing",
                     *           "loc": [
                     *             "body",
                     *             "name"
                     *           ],
                     *           "msg": "Field required",
                     *           "input": {}
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unexpected failure; nothing was committed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalErrorDto"];
                };
            };
        };
    };
}
