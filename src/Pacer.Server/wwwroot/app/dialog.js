// The confirmation before a cancel: a modal dialog of its own, outside everything that live
// updates redraw, so that an update never replaces or closes an open confirmation.

let open = false;

export function confirming() {
  return open;
}

/** Asks; resolves true when the user confirms. */
export function confirmAction(question, yes) {
  const dialog = document.getElementById('confirm-dialog');
  document.getElementById('confirm-text').textContent = question;
  document.getElementById('confirm-yes').textContent = yes;
  dialog.returnValue = '';
  open = true;
  return new Promise(resolve => {
    dialog.addEventListener('close', () => {
      open = false;
      resolve(dialog.returnValue === 'yes');
    }, { once: true });
    dialog.showModal();
    document.getElementById('confirm-no').focus();
  });
}
