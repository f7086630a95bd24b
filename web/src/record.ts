// The look of the record pages (event, actor, ceasefire tracker) and the editor's forms.
import "./styles/pages.css";
import "./styles/editor.css";
