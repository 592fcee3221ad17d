// Every delete in the settings asks first: what it removes is used by flows by name.
import { ElMessageBox } from 'element-plus';
import 'element-plus/es/components/message-box/style/css';

/** True once the person confirmed; false when they cancelled or closed the box. */
export function confirmDelete(message: string, labels: { title: string; confirm: string; cancel: string }): Promise<boolean> {
  return ElMessageBox.confirm(message, labels.title, { type: 'warning', confirmButtonText: labels.confirm, cancelButtonText: labels.cancel }).then(
    () => true,
    () => false,
  );
}
