// What each settings page of stored things (providers, MCP servers, knowledge bases) does the same
// way: load the list (a failure shown above it), add or edit one in a dialog whose server errors
// stay in the dialog, and delete one after asking, since flows use it by name.
import { ref, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { confirmDelete } from './confirm-delete';

export interface SettingsListOptions<Item, Form> {
  readonly load: () => Promise<Item[]>;
  /** The dialog's form: empty for a new item, filled from the item being edited. */
  readonly formOf: (item: Item | undefined) => Form;
  /** Whether the form has what the server needs before it is asked; the server checks formats. */
  readonly complete: (form: Form) => boolean;
  readonly submit: (form: Form, editing: Item | undefined) => Promise<unknown>;
  /** The question asked before deleting. */
  readonly deleteQuestion: (item: Item) => string;
  readonly remove: (item: Item) => Promise<unknown>;
  /** More the dialog needs when it opens (choices from the server); a failure shows in the dialog. */
  readonly prepareDialog?: () => Promise<unknown>;
}

export interface SettingsList<Item, Form> {
  readonly items: Ref<Item[]>;
  readonly loaded: Ref<boolean>;
  readonly listError: Ref<unknown>;
  readonly dialogOpen: Ref<boolean>;
  /** The item being edited; undefined while adding one. */
  readonly editing: Ref<Item | undefined>;
  readonly form: Ref<Form>;
  readonly formError: Ref<unknown>;
  readonly saving: Ref<boolean>;
  complete(): boolean;
  refresh(): Promise<void>;
  openDialog(item?: Item): Promise<void>;
  save(): Promise<void>;
  remove(item: Item): Promise<void>;
}

export function useSettingsList<Item, Form>(options: SettingsListOptions<Item, Form>): SettingsList<Item, Form> {
  const { t } = useI18n();
  const items = ref<Item[]>([]) as Ref<Item[]>;
  const loaded = ref(false);
  const listError = ref<unknown>(null);
  const dialogOpen = ref(false);
  const editing = ref<Item>() as Ref<Item | undefined>;
  const form = ref(options.formOf(undefined)) as Ref<Form>;
  const formError = ref<unknown>(null);
  const saving = ref(false);

  async function refresh(): Promise<void> {
    try {
      items.value = await options.load();
      listError.value = null;
    } catch (error) {
      listError.value = error;
    } finally {
      loaded.value = true;
    }
  }

  async function openDialog(item?: Item): Promise<void> {
    editing.value = item;
    form.value = options.formOf(item);
    formError.value = null;
    dialogOpen.value = true;
    try {
      await options.prepareDialog?.();
    } catch (error) {
      formError.value = error;
    }
  }

  const complete = () => options.complete(form.value);

  async function save(): Promise<void> {
    if (!complete()) return;
    saving.value = true;
    try {
      await options.submit(form.value, editing.value);
      dialogOpen.value = false;
      await refresh();
    } catch (error) {
      formError.value = error;
    } finally {
      saving.value = false;
    }
  }

  async function remove(item: Item): Promise<void> {
    const confirmed = await confirmDelete(options.deleteQuestion(item), {
      title: t('settings.common.delete'),
      confirm: t('settings.common.delete'),
      cancel: t('settings.common.cancel'),
    });
    if (!confirmed) return;
    try {
      await options.remove(item);
      await refresh();
    } catch (error) {
      listError.value = error;
    }
  }

  return { items, loaded, listError, dialogOpen, editing, form, formError, saving, complete, refresh, openDialog, save, remove };
}
