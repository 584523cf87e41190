// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorBoundary } from './ErrorBoundary.tsx';

afterEach(cleanup);

let broken = true;
function Fragile() {
  if (broken) throw new Error('Roster rows had no ids.');
  return <p>Recovered</p>;
}

describe('ErrorBoundary', () => {
  it('shows the error’s message instead of a blank page, and can try again', () => {
    // React reports caught render errors on the console; keep the test output readable.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    render(
      <ErrorBoundary scope="This page">
        <Fragile />
      </ErrorBoundary>,
    );
    expect(screen.getByText('This page stopped working')).toBeTruthy();
    expect(screen.getByText('Roster rows had no ids.')).toBeTruthy();
    broken = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(screen.getByText('Recovered')).toBeTruthy();
    quiet.mockRestore();
    warn.mockRestore();
  });
});
