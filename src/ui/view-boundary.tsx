/**
 * An error boundary around one view: when rendering it throws (a hostile or damaged input the view did not expect),
 * that view is replaced by a short message and a way to try again, and the rest of the page keeps working. Without
 * it React unmounts the whole app and the page goes blank. The message is text, never HTML.
 */
import { Component, type ReactNode } from 'react';

interface Props {
  /** What the user calls this view: "ladders", "connection table", ... */
  name: string;
  children: ReactNode;
  /** The boundary clears itself when this changes (a new load, another ladder). */
  resetKey?: unknown;
}

interface State {
  error: Error | null;
  key: unknown;
}

export class ViewBoundary extends Component<Props, State> {
  override state: State = { error: null, key: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }

  override componentDidCatch(error: unknown): void {
    console.error(`Teardown: the ${this.props.name} view stopped`, error);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="banner error view-error" role="alert" data-testid="view-error">
        The {this.props.name} view stopped on something in the input it could not show: {error.message.slice(0, 300)}.
        The other views still work.{' '}
        <button onClick={() => this.setState({ error: null })}>Try again</button>
      </div>
    );
  }
}
