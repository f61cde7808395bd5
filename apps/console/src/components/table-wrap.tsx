import type { ReactNode } from 'react';

/**
 * A table that scrolls sideways on a narrow screen. The region takes focus so that a keyboard
 * can scroll it too, and is named for screen readers.
 */
export function TableWrap({ label, children }: { readonly label: string; readonly children: ReactNode }) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
