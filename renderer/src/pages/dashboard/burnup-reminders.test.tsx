// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { BurnUpChart } from '../../components/chart/BurnUpChart.tsx';

afterEach(cleanup);

const chart = (reminderDays: string[]) => (
  <BurnUpChart
    history={[
      { date: '2026-12-01', value: 100 },
      { date: '2026-12-02', value: 150 },
    ]}
    forecast={[
      { date: '2026-12-08', expected: 300, low: 250, high: 350 },
      { date: '2026-12-14', expected: 400, low: 320, high: 480 },
    ]}
    target={1000}
    announcementDays={[]}
    reminderDays={reminderDays}
    cutoffDate="2026-12-15"
    summary="test chart"
  />
);

describe('reminders on the burn-up chart', () => {
  it('draws a marker per scheduled reminder day, with its legend entry and its rows in the data table', () => {
    render(chart(['2026-12-08', '2026-12-14']));
    const markers = screen.getAllByTestId('reminder-marker');
    expect(markers.map((m) => m.getAttribute('data-date'))).toEqual(['2026-12-08', '2026-12-14']);
    expect(screen.getByTestId('burnup-legend').textContent).toContain('Reminder scheduled');
    fireEvent.click(screen.getByRole('button', { name: /Show the chart’s data/ }));
    const rows = screen.getAllByRole('row').filter((row) => row.textContent?.includes('Reminder scheduled'));
    expect(rows).toHaveLength(2);
  });

  it('draws nothing and names nothing in the legend when no reminder falls on the chart', () => {
    render(chart(['2027-01-10']));
    expect(screen.queryAllByTestId('reminder-marker')).toHaveLength(0);
    expect(screen.getByTestId('burnup-legend').textContent).not.toContain('Reminder');
  });
});
