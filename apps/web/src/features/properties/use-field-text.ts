// The words of generated fields in the reader's language: the registry's labels and help, the
// names of choices, and the shape a field expects (said with its error).
import { useI18n } from 'vue-i18n';
import type { ConfigField } from '../../editor/config-form';
import { usePreferencesStore } from '../../stores/preferences-store';

export function useFieldText() {
  const { t, te } = useI18n();
  const preferences = usePreferencesStore();

  /** The registry's label, else the key itself (inside values the registry does not describe). */
  const labelOf = (field: ConfigField): string => field.doc?.label[preferences.locale] ?? field.key;
  const helpOf = (field: ConfigField): string | undefined => field.doc?.help[preferences.locale];
  /** A choice (an enum value, a union's discriminator) in words, else as written. */
  const choiceLabel = (value: string): string => (te(`properties.choices.${value}`) ? t(`properties.choices.${value}`) : value);

  const list = (items: readonly string[]) => items.join(t('properties.expected.or'));

  /** The shape a field takes, in words: said beside its error, so a wrong value shows what is right. */
  function expectedShape(field: ConfigField): string | undefined {
    switch (field.widget) {
      case 'list':
        return t('properties.expected.list', { fields: fieldNames(field.item) });
      case 'object':
        return t('properties.expected.object', { fields: list(field.fields.map(labelOf)) });
      case 'union':
      case 'model':
        return t('properties.expected.union', { choices: list(field.variants.map((variant) => choiceLabel(variant.value))) });
      case 'select':
        return t('properties.expected.choice', { choices: list(field.options.map(choiceLabel)) });
      case 'number':
        return field.min === undefined || field.max === undefined ? undefined : t(`properties.expected.${field.integer ? 'integer' : 'number'}`, { min: field.min, max: field.max });
      case 'strings':
        return t('properties.expected.strings');
      case 'map':
        return t('properties.expected.map');
      case 'json':
      case 'form-fields':
        return field.shape ? expectedShape(field.shape) : undefined;
      default:
        return undefined;
    }
  }

  function fieldNames(item: ConfigField): string {
    if (item.widget === 'object') return list(item.fields.map((child) => (child.doc ? `${labelOf(child)} (${child.key})` : child.key)));
    if (item.widget === 'union') return t('properties.expected.union', { choices: list(item.variants.map((variant) => choiceLabel(variant.value))) });
    return labelOf(item);
  }

  return { labelOf, helpOf, choiceLabel, expectedShape };
}
