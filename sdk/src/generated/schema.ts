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
         * @description Form-encoded OAuth2 password flow. Returns a long-lived access token (ten years by default); use revocable API tokens for automation where the server offers them.
         */
        post: operations["login"];
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
        AccessTokenDto: {
            /** @description HS256 JWT with `sub`, `aud: ["fastapi-users:auth"]` and `exp`. */
            access_token: string;
            /**
             * @description Always `bearer`.
             * @enum {string}
             */
            token_type: "bearer";
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
        ErrorDto: {
            /**
             * @description What went wrong, e.g. `Node not found with id: 65a1…`.
             * @example Unauthorized
             */
            detail: string;
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
             * @description Kind-specific data (contract §6.3).
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
            /** @description Kind-specific data (contract §6.3); defaults to `{}`. */
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
             *     page, or null on the last page (contract §7.2).
             * @example eyJzIjoiaWQiLCJmIjoi…
             */
            next_cursor?: string | null;
            /**
             * @description The effective offset.
             * @example 0
             */
            offset: number;
            /**
             * @description Number of nodes matching the filter, ignoring limit and offset.
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
        RootDto: {
            /**
             * @description Always `KernelCI API`.
             * @example KernelCI API
             */
            message: string;
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
            /** @description Request validation failed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
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
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Node not found with id: <id>` (earlier nodes stay updated) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Request body too large` (above MAX_REQUEST_BODY_BYTES, 32 MiB by default) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
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
                /** @description Query-language conditions (contract §8): `field=value` or `field__op=value` with op one of lt, lte, gt, gte, ne, re, in, nin, int; dotted paths into data */
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
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
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
            /** @description Request validation failed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
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
                /** @description 1–255 visible ASCII characters; a retry with the same key and body replays the first answer (contract §7.10) */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
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
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Parent not found with id: <id>` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description A request with this Idempotency-Key is still executing */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Request body too large` (above MAX_REQUEST_BODY_BYTES, 32 MiB by default) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed, a body the database cannot keep faithfully (§13.12), or a reused Idempotency-Key */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
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
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
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
                /** @description Write only if the node still has one of these ETags (or `*`); 412 otherwise (contract §7.11) */
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
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Node not found with id: <id>` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Precondition failed: node has been modified` */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Request body too large` (above MAX_REQUEST_BODY_BYTES, 32 MiB by default) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed, a body the database cannot keep faithfully (§13.12), or a reused Idempotency-Key */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
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
                /** @description Write only if the node still has one of these ETags (or `*`); 412 otherwise (contract §7.11) */
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
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Node not found with id: <id>` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Precondition failed: node has been modified` */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Request body too large` (above MAX_REQUEST_BODY_BYTES, 32 MiB by default) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed, a body the database cannot keep faithfully (§13.12), or a reused Idempotency-Key */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
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
                /** @description The `next_cursor` of the previous page, with the same filter and sort */
                cursor?: string;
                /** @description Query-language conditions (contract §8): `field=value` or `field__op=value` with op one of lt, lte, gt, gte, ne, re, in, nin, int; dotted paths into data */
                filters?: {
                    [key: string]: string;
                };
                /** @description Page size, at least 1 */
                limit?: number;
                /** @description Matches to skip; must be absent or 0 with `cursor` */
                offset?: number;
                /** @description Order: `id`, `created` or `updated`, `-` prefix for descending; ties broken by id */
                sort?: string;
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
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
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
                /** @description 1–255 visible ASCII characters; a retry with the same key and body replays the first answer (contract §7.10) */
                "Idempotency-Key"?: string;
                /** @description Write only if the node still has one of these ETags (or `*`); 412 otherwise (contract §7.11) */
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
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Node not found with id: <id>` (the root) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description A request with this Idempotency-Key is still executing */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Precondition failed: node has been modified` */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description `Request body too large` (above MAX_REQUEST_BODY_BYTES, 32 MiB by default) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed, a body the database cannot keep faithfully (§13.12), or a reused Idempotency-Key */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
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
                /** @description Query-language conditions (contract §8): `field=value` or `field__op=value` with op one of lt, lte, gt, gte, ne, re, in, nin, int; dotted paths into data */
                filters?: {
                    [key: string]: string;
                };
                /** @description Maximum number of nodes; 0 or absent for all */
                limit?: number;
                /** @description Matches to skip */
                offset?: number;
                /** @description Order: `id`, `created` or `updated`, `-` prefix for descending; ties broken by id */
                sort?: string;
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
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
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
                    "application/json": components["schemas"]["ErrorDto"];
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
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request validation failed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
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
