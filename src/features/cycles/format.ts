export { formatDay, formatDayTime, formatTime, parseDay } from '../../core/day-format.js';

/** "due today", "due in 3 working days", "2 working days overdue". */
export function dueWording(workingDaysLeft: number, dueToday: boolean): string {
  if (dueToday) return 'due today';
  if (workingDaysLeft > 0) return `due in ${workingDaysLeft} working day${workingDaysLeft === 1 ? '' : 's'}`;
  const late = -workingDaysLeft;
  return `${late} working day${late === 1 ? '' : 's'} overdue`;
}
