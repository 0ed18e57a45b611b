// The words the bot understands, shared by the parser, `help`, and both app manifests (a test keeps them in step).

export interface CommandSpec {
  /** First word typed after `/safeguarding` in Slack, or to the bot in Teams. */
  name: string;
  usage: string;
  summary: string;
  /** Shown in help only to people holding one of these roles; omitted means everyone. */
  audience?: readonly string[];
  /** Exists only in `npm run demo`: never registered, listed in help or advertised in the app manifests otherwise. */
  demoOnly?: boolean;
}

export const commandCatalog: readonly CommandSpec[] = [
  { name: 'help', usage: 'help', summary: 'List what the bot can do' },
  { name: 'whoami', usage: 'whoami', summary: 'Show who the bot thinks you are: roles, agency, groups' },
  { name: 'tasks', usage: 'tasks', summary: 'What is due for you, soonest first' },
  {
    name: 'cycle',
    usage: 'cycle status [number] | cycle list | cycle start <plan> "<title>" [date] [lead] | cycle move | pause | resume | cancel',
    summary: 'QA cycles: see every stage and its state; admins start, move, pause and cancel',
  },
  { name: 'calendar', usage: 'calendar [group <key>] | calendar revoke', summary: 'A private calendar feed of your (or a group\'s) deadlines for Outlook or Google' },
  {
    name: 'demo',
    usage: 'demo as agency-lead | demo advance 5 working days',
    summary: 'Demo only: act as another role (agency-lead, prg-member, chair...), or move the demo clock forward',
    demoOnly: true,
  },
];

export function findCommand(name: string): CommandSpec | undefined {
  return commandCatalog.find((c) => c.name === name.toLowerCase());
}
