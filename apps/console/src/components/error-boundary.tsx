import { Component, type ReactNode } from 'react';

interface State {
  readonly failure: string | null;
}

/**
 * The last line: a render that throws shows what went wrong and a way back, instead of
 * React unmounting the whole console and leaving a blank page.
 */
export class ErrorBoundary extends Component<{ readonly children: ReactNode }, State> {
  override state: State = { failure: null };

  static getDerivedStateFromError(error: unknown): State {
    return { failure: error instanceof Error ? error.message : String(error) };
  }

  override render() {
    if (this.state.failure === null) return this.props.children;
    return (
      <main className="page">
        <h1>Something went wrong</h1>
        <p role="alert" className="error">
          <strong>Error: </strong>
          {this.state.failure}
        </p>
        <p>
          <a href="#/wallets" onClick={() => this.setState({ failure: null })}>
            Back to the wallets
          </a>
        </p>
      </main>
    );
  }
}
