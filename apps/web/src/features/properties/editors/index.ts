// The rich property editors, each loaded on first use: CodeMirror, the FEEL editor and the form
// builder stay out of the editor page's chunk, so a flow whose panel never shows one of these
// fields never downloads them.
import { defineAsyncComponent } from 'vue';
import EditorLoading from './EditorLoading.vue';

const shown = { loadingComponent: EditorLoading, delay: 0 } as const;

export const TemplateEditor = defineAsyncComponent({ loader: () => import('./TemplateEditor.vue'), ...shown });
export const FeelExpressionEditor = defineAsyncComponent({ loader: () => import('./FeelExpressionEditor.vue'), ...shown });
export const FormBuilder = defineAsyncComponent({ loader: () => import('./FormBuilder.vue'), ...shown });
