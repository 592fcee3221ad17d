// The peer's side of the canvas benchmark, bundled by esbuild and run in the browser: bpmn-js's
// Modeler (the editor Camunda Modeler is built on) opens the same drawing as BPMN 2.0 XML. Like
// Loomflow's editor page, it fetches the diagram over HTTP and renders it, in bpmn-js's own opening
// view (100%, the drawing's top-left corner in view), then marks the container with the flow id,
// which is what the harness waits for.
import Modeler from 'bpmn-js/lib/Modeler';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn.css';

const params = new URLSearchParams(location.search);
const container = document.getElementById('canvas') as HTMLElement;
container.style.width = `${params.get('width') ?? 1000}px`;
container.style.height = `${params.get('height') ?? 800}px`;

const response = await fetch(`/diagrams/${params.get('flow')}.bpmn`);
const modeler = new Modeler({ container });
await modeler.importXML(await response.text());
container.dataset.flowId = params.get('flow') ?? '';
