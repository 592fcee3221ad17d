import { hasErrors, locales, validateFlow } from '@loomflow/graph-schema';
import { ExitCode, UsageError, parseCommandArgs, type Command } from '../command';
import { readFlowFile } from '../flow-file';
import { formatIssueLine, formatSummary } from '../format-issues';

const formats = ['text', 'json'] as const;

const usage = `Usage: loomflow validate <flow.json|file.bpmn> [--locale en|zh-CN] [--format text|json]

Checks a flow document (a .bpmn file is imported first, its import report on stderr): its schema, every node's config, edges, ports, conditions and control flow.
Prints one line per issue on stdout (severity, code, node or edge, path, message) and a summary on
stderr. Exits with 0 when there are no errors (warnings allowed) and 1 when there are errors or the
file is missing or not JSON.

Options:
  --locale en|zh-CN    Language of the messages (default: en)
  --format text|json   text: one line per issue; json: { "ok", "issues" } on stdout (default: text)
  -h, --help           Show this help
`;

function oneOf<const Choice extends string>(value: string, choices: readonly Choice[], option: string): Choice {
  if ((choices as readonly string[]).includes(value)) return value as Choice;
  throw new UsageError(`${option} must be one of ${choices.join(', ')}, not "${value}"`);
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check a flow document and list its issues',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs({
      args: [...args],
      options: {
        locale: { type: 'string', default: 'en' },
        format: { type: 'string', default: 'text' },
      },
      allowPositionals: true,
      strict: true,
    });
    const locale = oneOf(values.locale, locales, '--locale');
    const format = oneOf(values.format, formats, '--format');
    const [path, ...extra] = positionals;
    if (path === undefined) throw new UsageError('missing the flow file to validate');
    if (extra.length > 0) throw new UsageError(`expected one flow file, got ${positionals.length}`);

    const file = await readFlowFile(path, io);
    if (!file.ok) {
      io.stderr(`loomflow: ${file.message}\n`);
      return ExitCode.invalidInput;
    }
    const issues = validateFlow(file.document, { locale });
    const ok = !hasErrors(issues);
    if (format === 'json') io.stdout(`${JSON.stringify({ ok, issues }, null, 2)}\n`);
    else for (const issue of issues) io.stdout(`${formatIssueLine(issue)}\n`);
    io.stderr(`${formatSummary(issues, locale)}\n`);
    return ok ? ExitCode.ok : ExitCode.invalidInput;
  },
};
