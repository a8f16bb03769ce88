// Placeholder: replaced by the page itself.
export default function SettingsPage() {
  return <div>SettingsPage</div>;
}
