interface Props {
  readonly label: string;
  readonly atFirst: boolean;
  readonly nextCursor: string | null | undefined;
  readonly onFirst: () => void;
  readonly onNext: (cursor: string) => void;
}

/** Cursor paging: the API's cursors go forward only, so the way back is to the first page. */
export function Pager({ label, atFirst, nextCursor, onFirst, onNext }: Props) {
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" className="secondary" disabled={atFirst} onClick={onFirst}>
        First page
      </button>
      <button type="button" className="secondary" disabled={!nextCursor} onClick={() => nextCursor && onNext(nextCursor)}>
        Next page
      </button>
    </nav>
  );
}
