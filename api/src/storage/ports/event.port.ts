/**
 * The CloudEvent attributes kept with a stored event (docs/deployment.md#running-on-mongodb `ce`), so replays carry the
 * original id, time and extension attributes. `extensions` keeps insertion order (`owner` first).
 */
export interface StoredCloudEvent {
  id: string;
  time: string;
  type: string;
  source: string;
  specversion: string;
  extensions: Record<string, unknown>;
}

/** One `eventhistory` entry (docs/events.md#the-log, docs/deployment.md#running-on-mongodb). */
export interface EventRecord {
  /** The document id (24 hex), shown by `/events`. */
  id: string;
  timestamp: Date;
  sequenceId: number;
  channel: string;
  owner: string | null;
  data: unknown;
  /** Null for documents written by KernelCI, which stored no CloudEvent attributes. */
  ce: StoredCloudEvent | null;
}

export type NewEvent = Omit<EventRecord, 'sequenceId'>;

/** The next events a subscription may receive, in sequence order (docs/events.md#delivery-guarantees, docs/realtime.md). */
export interface EventStreamQuery {
  channel: string;
  afterSequence: number;
  /** Owner filter of a non-promiscuous subscription: only ownerless events and this user's. */
  visibleTo?: string;
  /** socket.io filter: each key matches when `data.<key>` is one of the values (`path`: contains one). */
  payload?: Record<string, string[]>;
  limit: number;
}

/** One condition of `GET /events` (docs/events.md#event-history-get-events); conditions are ANDed. */
export type EventHistoryCondition =
  | { field: 'channel'; value: string }
  /** `data.<path>` equals the value, or is an array containing it (MongoDB's dotted-path match). */
  | { field: 'data'; path: string[]; value: string | boolean }
  /** A regular expression matched against the elements of `data.path`. */
  | { field: 'pathRegex'; pattern: string }
  | { field: 'ids'; ids: string[] }
  | { field: 'after'; timestamp: Date }
  /** Exact match on another top-level field of the stored document (strings and booleans only). */
  | { field: 'document'; key: string; value: string | boolean };

export interface EventHistoryQuery {
  conditions: EventHistoryCondition[];
  limit?: number;
  offset?: number;
}

/** How an `appendAtCommit` ended once its unit of work committed: appended, or kept in the outbox. */
export type CommittedAppend = { sequenceId: number } | { sequenceId: null; error: string };

/**
 * The event log. The reader guarantee every adapter gives (docs/adr/0005-events.md): readers see
 * events only up to the **visibility bound** — a sequence id below which every event is committed
 * or rolled back for good — so that an event whose transaction commits after a higher id was
 * delivered is never skipped, an uncommitted one is never delivered, and `sequenceId` is strictly
 * increasing in what `stream` and `history` return. Appends need not be serialised to give it: on
 * PostgreSQL they run concurrently and readers wait for the bound; an adapter may also serialise
 * appends so that visibility order is sequence order. A read covers every event committed before it
 * started, unless a transaction in flight at its start is still running after a short wait (then it
 * answers with the safe part and a later read delivers the rest).
 */
export interface EventRepository {
  /**
   * Allocates the next deployment-wide sequence id and appends the event in the caller's unit of
   * work; it becomes readable once committed and below the visibility bound. A failure leaves the
   * surrounding transaction usable (the node write still commits).
   */
  append(event: NewEvent): Promise<EventRecord>;
  /**
   * The append of a node write (docs/adr/0020-event-append-at-commit.md): the event is appended as
   * the caller's unit of work commits (on PostgreSQL in the COMMIT's own round trip; an adapter may
   * also append it now). If the append fails, the event is recorded in the durable outbox
   * (`pendingEvents`) in the same unit instead and the write still commits; if that fails too, the
   * unit rolls back (the error surfaces from `transaction`, or from this call). Outside a unit of
   * work the append runs now. `committed` runs once the unit has committed, never after a rollback.
   */
  appendAtCommit(event: NewEvent, committed: (outcome: CommittedAppend) => void): Promise<void>;
  /** Events after `afterSequence`, in sequence order, up to the visibility bound. */
  stream(query: EventStreamQuery): Promise<EventRecord[]>;
  /** `GET /events`: matching events in natural (sequence) order, up to the visibility bound. @throws InvalidPatternError */
  history(query: EventHistoryQuery): Promise<EventRecord[]>;
  /** The visibility bound (0 when there is no event): where a new subscription starts. */
  latestSequence(): Promise<number>;
  /** The oldest retained sequence id of a channel, or null when the channel has no event. */
  oldestSequence(channel: string): Promise<number | null>;
  /** Deletes events stored before `cutoff`; returns how many. */
  purgeOlderThan(cutoff: Date): Promise<number>;
  /** Raises the sequence to at least every stored sequence id and durable cursor (never lowers it). */
  reconcileSequence(): Promise<void>;
}
