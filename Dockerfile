# One image for every tinykube node (docker-compose.yml): the built repository on Node.js 20, plus iproute2 for
# the kubelet's pod network (`--pod-network interface`) and kube-proxy's ClusterIPs (`--cluster-ip-mode dummy`).
FROM node:20-bookworm-slim

RUN apt-get update \
 && apt-get install -y --no-install-recommends iproute2 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/tinykube
# Manifests first so `npm ci` stays cached while only sources change.
COPY package.json package-lock.json ./
COPY packages/api/package.json packages/api/
COPY packages/apiserver/package.json packages/apiserver/
COPY packages/client/package.json packages/client/
COPY packages/cluster/package.json packages/cluster/
COPY packages/controller-manager/package.json packages/controller-manager/
COPY packages/etcd-client/package.json packages/etcd-client/
COPY packages/hostnet/package.json packages/hostnet/
COPY packages/kube-proxy/package.json packages/kube-proxy/
COPY packages/kubelet/package.json packages/kubelet/
COPY packages/scheduler/package.json packages/scheduler/
COPY packages/store/package.json packages/store/
COPY packages/testkit/package.json packages/testkit/
COPY packages/tkctl/package.json packages/tkctl/
# `prepare` (npm run build) needs the sources, so the lifecycle scripts wait for the explicit build below.
RUN npm ci --ignore-scripts
COPY tsconfig.base.json tsconfig.build.json ./
COPY packages ./packages
RUN npm run build

ENV DATA_DIR=/var/lib/tinykube
# Expected from docker-compose.yml: NODE_NAME, CONTROL_PLANE_IP, and CONTROL_PLANE=true on the control-plane node;
# NODE_IP defaults to this container's address. node-init writes the node's manifests, kubeconfigs and
# kubelet-flags.env (KUBELET_ARGS), then the kubelet replaces the shell. scripts/netns-cluster runs this same
# line in a network namespace, from the repository root.
ENTRYPOINT ["/bin/sh", "-c", "export NODE_IP=\"${NODE_IP:-$(hostname -i | cut -d' ' -f1)}\" && node packages/cluster/dist/node-init.js && . \"${DATA_DIR:-/var/lib/tinykube}/kubelet-flags.env\" && exec node packages/kubelet/dist/main.js $KUBELET_ARGS"]
