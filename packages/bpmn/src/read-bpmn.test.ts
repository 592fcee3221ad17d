import { createDefaultRegistry } from '@loomflow/graph-schema';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BpmnReadError, isBpmnElementType, readBpmnXml } from './read-bpmn';

// The MIWG reference models live beside the project, read-only (../shared/bpmn-corpus): their
// README asks that they are not copied into it.
const corpus = join(dirname(fileURLToPath(import.meta.url)), '../../../../shared/bpmn-corpus/miwg');
const corpusFiles = readdirSync(corpus).filter((file) => file.endsWith('.bpmn'));

describe('readBpmnXml', () => {
  it('finds the corpus', () => {
    expect(corpusFiles.length).toBeGreaterThanOrEqual(14);
  });

  it.each(corpusFiles)('reads the MIWG model %s whatever its namespace prefix', async (file) => {
    const { definitions, elements, warnings } = await readBpmnXml(readFileSync(join(corpus, file), 'utf8'));
    expect(definitions.$type).toBe('bpmn:Definitions');
    expect(elements.some((element) => element.type === 'bpmn:Process')).toBe(true);
    expect(elements.some((element) => /Task$|Event$/.test(element.type))).toBe(true);
    // Only the ISO-8859-1 declaration may draw a warning.
    expect(warnings.filter((warning) => !warning.includes('unsupported document encoding'))).toEqual([]);
  });

  it('rejects text that is not BPMN XML with the position of the problem', async () => {
    await expect(readBpmnXml('<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:task id="t"</bpmn:definitions>')).rejects.toThrow(
      /line 1, column 112; nested error: unexpected end of file/,
    );
    await expect(readBpmnXml('not xml')).rejects.toBeInstanceOf(BpmnReadError);
  });

  it('counts the position of a problem from line 1 and column 1, as editors do', async () => {
    const cutShort = [
      '<?xml version="1.0"?>',
      '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">',
      '  <bpmn:process id="p">',
      '    <bpmn:startEvent id="s"/>',
      '  </bpmn:proc',
    ].join('\n');
    await expect(readBpmnXml(cutShort)).rejects.toThrow('not a readable BPMN 2.0 document: unparsable content </bpmn:proc detected; line 5, column 3; nested error: unclosed tag');
    const unquoted = cutShort.replace('<bpmn:startEvent id="s"/>', '<bpmn:startEvent id=s/>').replace('</bpmn:proc', '</bpmn:process></bpmn:definitions>');
    const { warnings } = await readBpmnXml(unquoted);
    expect(warnings).toEqual(['unparsable content <bpmn:startEvent> detected; line 4, column 5; nested error: missing attribute value quotes']);
  });

  it('leaves external entities unexpanded', async () => {
    const xml =
      '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
      '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><bpmn:process id="p" name="&xxe;"/></bpmn:definitions>';
    const { definitions } = await readBpmnXml(xml);
    expect(JSON.stringify(definitions.rootElements)).not.toContain('root:');
  });
});

describe('the BPMN mapping of the node registry', () => {
  it('names a real bpmn-moddle element for every BPMN node type', () => {
    const unknown = createDefaultRegistry()
      .list('bpmn')
      .filter((nodeType) => !nodeType.bpmn || !isBpmnElementType(nodeType.bpmn.element))
      .map((nodeType) => nodeType.type);
    expect(unknown).toEqual([]);
    expect(isBpmnElementType('bpmn:Teleporter')).toBe(false);
  });
});
