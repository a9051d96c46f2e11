/**
 * Does the node type fit the GPU? Vidur's flags default to `a100_pairwise_nvlink` whatever the device, and an
 * H100 SXM on `h100_pairwise_nvlink` pays PCIe-speed all-reduces no H100 SXM server has. tokenwatt keeps Vidur's
 * defaults but says when the two disagree: a node built for another GPU, or an SXM GPU on a node without
 * NVSwitch. The summary line and summary.json (`node_mismatch`) carry the message.
 *
 * @example
 * nodeMismatch(findDevice("h100"), findNode("a100_pairwise_nvlink"))
 * // "node a100_pairwise_nvlink is built for a100-80gb GPUs, not h100-sxm; h100-sxm servers are usually h100_dgx (--replica_config_network_device h100_dgx)"
 * nodeMismatch(findDevice("a100"), findNode("a100_pairwise_nvlink")) // undefined
 */
import { findDevice } from "./catalog.js";
import type { DeviceProfile, NodeProfile } from "./profile-types.js";

export function nodeMismatch(device: DeviceProfile, node: NodeProfile): string | undefined {
  const usual = device.usual_node;
  const hint =
    usual && usual !== node.name ? `; ${device.name} servers are usually ${usual} (--replica_config_network_device ${usual})` : "";
  const nodeGpu = findDevice(node.device);
  if (nodeGpu.name !== device.name && usual !== node.name) {
    return `node ${node.name} is built for ${nodeGpu.name} GPUs, not ${device.name}${hint}`;
  }
  if (device.sxm_only && node.topology !== "nvswitch") {
    return `${device.name} is an SXM GPU, whose servers connect all GPUs through NVSwitch, but node ${node.name} has ${node.topology.replace("_", " ")} links${hint}`;
  }
  return undefined;
}
