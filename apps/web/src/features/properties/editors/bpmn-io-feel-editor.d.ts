// @bpmn-io/feel-editor ships no type declarations; these describe the part of its API
// (dist/index.js of 2.8.0) that FeelExpressionEditor.vue uses.
declare module '@bpmn-io/feel-editor' {
  import type { Extension } from '@codemirror/state';
  import type { EditorView } from '@codemirror/view';

  export interface FeelEditorVariable {
    name: string;
    detail?: string;
    info?: string;
    entries?: FeelEditorVariable[];
  }

  export interface FeelEditorOptions {
    container: HTMLElement;
    value?: string;
    variables?: FeelEditorVariable[];
    extensions?: Extension[];
    placeholder?: string;
    contentAttributes?: Record<string, string>;
    onChange?: (value: string) => void;
  }

  export default class FeelEditor {
    constructor(options: FeelEditorOptions);
    setValue(value: string): void;
    setVariables(variables: FeelEditorVariable[]): void;
    setPlaceholder(placeholder: string): void;
    focus(position?: number): void;
    /** Not documented, and the only way to the view: the editor has no destroy method of its own. */
    readonly _cmEditor: EditorView;
  }
}
