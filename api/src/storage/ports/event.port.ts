/**
 * The CloudEvent attributes kept with a stored event (contract §11.1 `ce`), so replays carry the
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

/** One `eventhistory` entry (contract §10.3, §11.1). */
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

/** The next events a subscription may receive, in sequence order (contract §10.5, §10.10). */
export interface EventStreamQuery {
  channel: string;
  afterSequence: number;
  /** Owner filter of a non-promiscuous subscription: only ownerless events and this user's. */
  visibleTo?: string;
  /** socket.io filter: each key matches when `data.<key>` is one of the values (`path`: contains one). */
  payload?: Record<string, string[]>;
  limit: number;
}

/** One condition of `GET /events` (contract §10.9); conditions are ANDed. */
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

export interface EventRepository {
  /**
   * Allocates the next deployment-wide sequence id and appends the event. Inside a transaction the
   * allocation is held until commit, so events become visible in sequence order (docs/adr/0005).
   * A failure leaves the surrounding transaction usable (the node write still commits, §13.12).
   */
  append(event: NewEvent): Promise<EventRecord>;
  stream(query: EventStreamQuery): Promise<EventRecord[]>;
  /** `GET /events`: matching events in natural (sequence) order. @throws InvalidPatternError */
  history(query: EventHistoryQuery): Promise<EventRecord[]>;
  /** The highest sequence id allocated so far (0 when none). */
  latestSequence(): Promise<number>;
  /** The oldest retained sequence id of a channel, or null when the channel has no event. */
  oldestSequence(channel: string): Promise<number | null>;
  /** Deletes events stored before `cutoff`; returns how many. */
  purgeOlderThan(cutoff: Date): Promise<number>;
  /** Raises the sequence counter to at least every stored sequence id and durable cursor (§11.4). */
  reconcileSequence(): Promise<void>;
}
