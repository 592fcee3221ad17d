import { BpmnModdle } from 'bpmn-moddle';
const xml = `<?xml version="1.0"?><definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:foo="urn:foo" id="d" targetNamespace="x">
<process id="p"><task id="t" name="T" camunda:asyncBefore="true" foo:bar="1"><extensionElements><camunda:properties><camunda:property name="a" value="b"/></camunda:properties></extensionElements>
<ioSpecification id="io"><dataInput id="di"/><inputSet id="is"><dataInputRefs>di</dataInputRefs></inputSet></ioSpecification>
<dataInputAssociation id="dia"><sourceRef>dsr</sourceRef><targetRef>di</targetRef></dataInputAssociation></task>
<dataStoreReference id="dsr"/></process></definitions>`;
const m = new BpmnModdle();
const r = await m.fromXML(xml);
const t = r.elementsById.t;
console.log(Object.keys(t), t.$attrs);
const copy = m.create('bpmn:Task', { id: 't' });
for (const k of ['extensionElements','ioSpecification','dataInputAssociations']) copy[k] = t[k];
Object.assign(copy.$attrs, t.$attrs);
const out = await m.toXML(copy);
console.log(out.xml);
const back = await m.fromXML(out.xml, 'bpmn:Task');
console.log(back.warnings.map(w=>w.message), back.references.map(r=>[r.property, r.id, r.element.$type]), Object.keys(back.elementsById));
console.log(back.rootElement.$attrs, back.rootElement.extensionElements.values[0]);
