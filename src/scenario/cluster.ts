/**
 * Scenario step 1: the hardware and its shape — model, device and node from the catalogue, tensor and pipeline
 * parallelism checked against the model's shapes and the node's device count.
 *
 * @example
 * resolveCluster(options).model.num_layers; // 32 for Llama-2-7B
 */
import type { Options } from "../config/options.js";
import { InputError } from "../core/errors.js";
import type { ModelSpec } from "../core/types.js";
import { findDevice, findModel, findNode } from "../profiles/catalog.js";
import { checkSharding } from "../profiles/param-counter.js";
import type { DeviceProfile, NodeProfile } from "../profiles/profile-types.js";

export interface Cluster {
  model: ModelSpec;
  device: DeviceProfile;
  node: NodeProfile;
  /** Tensor-parallel GPUs per stage. */
  tp: number;
  /** Pipeline stages per replica. */
  pp: number;
  replicas: number;
}

export function resolveCluster(o: Options): Cluster {
  const model = findModel(o.replica_config_model_name);
  const device = findDevice(o.replica_config_device);
  const node = findNode(o.replica_config_network_device);
  const tp = o.replica_config_tensor_parallel_size;
  const pp = o.replica_config_num_pipeline_stages;
  checkSharding(model, tp, pp);
  const perNode = node.num_devices_per_node;
  if (!(tp * pp < perNode || (tp * pp) % perNode === 0)) {
    throw new InputError(
      `TP ${tp} x PP ${pp} = ${tp * pp} GPUs per replica must be below, or a multiple of, ${node.name}'s ${perNode} devices per node`,
    );
  }
  return { model, device, node, tp, pp, replicas: o.cluster_config_num_replicas };
}
