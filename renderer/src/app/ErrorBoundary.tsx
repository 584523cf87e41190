import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
} from '@fluentui/react-components';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { errorMessage } from '../format/errors.ts';

interface Props {
  /** Where the failure happened, in the operator's words ("This page", "The console"). */
  scope: string;
  children: ReactNode;
  /** Called by "Try again"; defaults to re-rendering the children. */
  onReset?: () => void;
}

interface State {
  error: unknown;
  failed: boolean;
}

/**
 * A render error shows its message in a MessageBar instead of a blank window. The shell wraps
 * each page in one (keyed by route, so navigating away clears it) and the whole app in another.
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, failed: false };

  static getDerivedStateFromError(error: unknown): State {
    return { error, failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // The component stack helps a developer reproduce it; it stays in the devtools console.
    console.warn(`${this.props.scope} failed to render`, error, info.componentStack);
  }

  private readonly reset = (): void => {
    this.setState({ error: null, failed: false });
    this.props.onReset?.();
  };

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <MessageBar intent="error" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{this.props.scope} stopped working</MessageBarTitle>
          {errorMessage(this.state.error)}
        </MessageBarBody>
        <MessageBarActions>
          <Button onClick={this.reset}>Try again</Button>
          <Button onClick={() => window.location.reload()}>Reload the console</Button>
        </MessageBarActions>
      </MessageBar>
    );
  }
}
