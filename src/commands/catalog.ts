// The words the bot understands, shared by the parser, `help`, and both app manifests (a test keeps them in step).

export interface CommandSpec {
  /** First word typed after `/safeguarding` in Slack, or to the bot in Teams. */
  name: string;
  usage: string;
  summary: string;
  /** Shown in help only to people holding one of these roles; omitted means everyone. */
  audience?: readonly string[];
}

export const commandCatalog: readonly CommandSpec[] = [
  { name: 'help', usage: 'help', summary: 'List what the bot can do' },
  { name: 'whoami', usage: 'whoami', summary: 'Show who the bot thinks you are: roles, agency, groups' },
];

export function findCommand(name: string): CommandSpec | undefined {
  return commandCatalog.find((c) => c.name === name.toLowerCase());
}
