/** A Last-Event-ID the feed resumes after: a position, at most 19 digits (it is read as a bigint). */
export const LAST_EVENT_ID_PATTERN = /^(0|[1-9][0-9]{0,18})$/;
