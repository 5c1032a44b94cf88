import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp } from '../test/fakes';
import type { Notification } from '../api/types.gen';
import { byDay } from './NotificationCentre';

const now = new Date(2026, 11, 7, 15, 0);
const at = (days: number, hour: number) => new Date(now.getFullYear(), now.getMonth(), now.getDate() - days, hour).toISOString();

function note(id: string, time: string, extra: Partial<Notification> = {}): Notification {
  return { id, kind: 'template-run', time, title: `Run ${id} finished`, link: `/create/runs/${id}`, read: false, ...extra };
}

describe('byDay', () => {
  it('groups newest first under Today, Yesterday and the date', () => {
    const groups = byDay([note('c', at(0, 14)), note('b', at(0, 9)), note('a', at(1, 20)), note('z', at(3, 8))], now);
    expect(groups.map((g) => [g.day === 'Today' || g.day === 'Yesterday' ? g.day : 'a date', g.items.map((n) => n.id)])).toEqual([
      ['Today', ['c', 'b']],
      ['Yesterday', ['a']],
      ['a date', ['z']],
    ]);
  });
});

describe('NotificationBell', () => {
  it('shows the unread count, opens the centre, marks one read as it opens its page, and all read', async () => {
    const t = new FakeTransport();
    t.notificationItems = [note('2', new Date().toISOString()), note('1', new Date().toISOString(), { read: true, kind: 'sync-failed', title: 'Sync of demo failed', body: 'connection refused', link: '/problems?location=demo' })];
    renderApp('/', t);
    const bell = await screen.findByRole('button', { name: 'Notifications, 1 unread' });
    expect(screen.getByTestId('notification-count').textContent).toBe('1');
    await userEvent.click(bell);
    const panel = screen.getByRole('dialog', { name: 'Notifications' });
    expect(within(panel).getByRole('heading', { name: 'Today' })).toBeTruthy();
    expect(within(panel).getAllByTestId('notification').map((b) => b.textContent)).toEqual([
      expect.stringContaining('Run 2 finished'),
      expect.stringContaining('Sync of demo failed'),
    ]);
    await userEvent.click(within(panel).getByRole('button', { name: /Run 2 finished/ }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/create/runs/2'));
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(t.notificationItems[0]?.read).toBe(true));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Notifications' })).toBeTruthy());

    t.notificationItems = [note('3', new Date().toISOString()), ...t.notificationItems];
    t.emit('notifications:added', t.notificationItems[0]);
    expect(await screen.findByRole('button', { name: 'Notifications, 1 unread' })).toBeTruthy();
    await userEvent.click(screen.getByTestId('notification-bell'));
    await userEvent.click(screen.getByTestId('notifications-read-all'));
    await waitFor(() => expect(screen.queryByTestId('notification-count')).toBeNull());
    expect(t.notificationItems.every((n) => n.read)).toBe(true);
  });

  it('closes on Escape and gives the focus back to the bell; clears the centre', async () => {
    const t = new FakeTransport();
    t.notificationItems = [note('1', new Date().toISOString())];
    renderApp('/', t);
    await screen.findByRole('button', { name: 'Notifications, 1 unread' });
    screen.getByTestId('notification-bell').focus();
    await userEvent.keyboard('{Enter}');
    const panel = screen.getByRole('dialog', { name: 'Notifications' });
    expect(document.activeElement).toBe(panel);
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('notification-bell'));
    await userEvent.keyboard('{Enter}');
    await userEvent.click(screen.getByTestId('notifications-clear'));
    expect(await screen.findByTestId('notifications-empty')).toBeTruthy();
    expect(t.notificationItems).toEqual([]);
  });

  it('is a page the palette opens', async () => {
    const t = new FakeTransport();
    t.notificationItems = [note('1', new Date().toISOString())];
    renderApp('/notifications', t);
    const page = await screen.findByTestId('notifications-page');
    expect(await within(page).findByText('Run 1 finished')).toBeTruthy();
  });
});
