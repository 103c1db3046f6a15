import { selectorString, type KubeObject, type LabelSelectorSpec } from '@tinykube/api';
import { annotationLines, arr, field, labelLines, Lines, metaLines, rec, str, timestamp } from './lines.js';

// `describe deployment|replicaset|daemonset`: replica counts, strategy, the pod template and
// conditions, in kubectl's words.

export function describeWorkload(obj: KubeObject): Lines {
  const l = new Lines();
  const spec = rec(obj.spec);
  const status = rec(obj.status);
  metaLines(l, obj, true);
  l.lines.splice(2, 0, { depth: 0, key: 'CreationTimestamp', value: timestamp(obj.metadata.creationTimestamp) });
  l.kv(0, 'Selector', selectorString(spec.selector as LabelSelectorSpec | undefined) || '<none>');
  if (obj.kind === 'Deployment') {
    const n = (k: string) => str(status[k], '0');
    l.kv(0, 'Replicas', `${str(spec.replicas, '1')} desired | ${n('updatedReplicas')} updated | ${n('replicas')} total | ${n('availableReplicas')} available | ${n('unavailableReplicas')} unavailable`);
    const strategy = rec(spec.strategy);
    l.kv(0, 'StrategyType', str(strategy.type, 'RollingUpdate'));
    l.kv(0, 'MinReadySeconds', str(spec.minReadySeconds, '0'));
    if (str(strategy.type, 'RollingUpdate') === 'RollingUpdate') {
      const ru = rec(strategy.rollingUpdate);
      l.kv(0, 'RollingUpdateStrategy', `${str(ru.maxUnavailable, '25%')} max unavailable, ${str(ru.maxSurge, '25%')} max surge`);
    }
  } else if (obj.kind === 'ReplicaSet') {
    l.kv(0, 'Replicas', `${str(status.replicas, '0')} current / ${str(spec.replicas, '1')} desired`);
    l.kv(0, 'Pods Status', `${str(status.readyReplicas, '0')} Running / 0 Waiting / 0 Succeeded / 0 Failed`);
  } else {
    const n = (k: string) => str(status[k], '0');
    l.kv(0, 'Desired Number of Nodes Scheduled', n('desiredNumberScheduled'));
    l.kv(0, 'Current Number of Nodes Scheduled', n('currentNumberScheduled'));
    l.kv(0, 'Number of Nodes Scheduled with Up-to-date Pods', n('updatedNumberScheduled'));
    l.kv(0, 'Number of Nodes Scheduled with Available Pods', n('numberAvailable'));
    l.kv(0, 'Number of Nodes Misscheduled', n('numberMisscheduled'));
  }
  podTemplate(l, rec(spec.template));
  const conditions = arr(status.conditions);
  if (conditions.length > 0) {
    l.header(0, 'Conditions');
    l.kv(1, 'Type', 'Status  Reason');
    l.kv(1, '----', '------  ------');
    for (const c of conditions) l.kv(1, str(c.type), `${str(c.status)}  ${str(c.reason, '')}`);
  }
  return l;
}

function podTemplate(l: Lines, template: Record<string, unknown>): void {
  l.header(0, 'Pod Template');
  l.kv(1, 'Labels', labelLines(field(template, 'metadata.labels') as Record<string, string> | undefined));
  const ann = annotationLines(field(template, 'metadata.annotations') as Record<string, string> | undefined);
  if (ann.length) l.kv(1, 'Annotations', ann);
  l.header(1, 'Containers');
  for (const c of arr(field(template, 'spec.containers'))) {
    l.header(2, str(c.name));
    l.kv(3, 'Image', str(c.image));
    const ports = arr(c.ports);
    l.kv(3, 'Port', ports.length ? ports.map((p) => `${str(p.containerPort)}/${str(p.protocol, 'TCP')}`).join(', ') : '<none>');
    if (Array.isArray(c.command)) l.kv(3, 'Command', (c.command as unknown[]).map((x) => str(x)));
    if (Array.isArray(c.args)) l.kv(3, 'Args', (c.args as unknown[]).map((x) => str(x)));
    const env = arr(c.env);
    l.kv(3, 'Environment', env.length ? env.map((e) => `${str(e.name)}:  ${str(e.value, '')}`) : '<none>');
  }
  l.kv(1, 'Volumes', arr(field(template, 'spec.volumes')).map((v) => str(v.name)));
}
