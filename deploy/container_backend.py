"""Run a serialized Flyte workflow task by task in its images, as Flyte's backend would.

What ``pyflyte package`` writes is what a cluster gets: task templates (image, command,
arguments, data config, Spark configuration) and workflow templates (nodes and the bindings
between them). Without Kubernetes or a Flyte backend, this module does the backend's part on
one machine with Docker, so that the images, their entrypoints, flytekit's task resolver,
the non-root user's file permissions and the raw containers' data config are exercised exactly
as a cluster will exercise them:

- every Python task runs in its image with its serialized arguments, the templates
  ``{{.input}}``, ``{{.outputPrefix}}``, ``{{.rawOutputDataPrefix}}``,
  ``{{.checkpointOutputPrefix}}`` and ``{{.prevCheckpointPrefix}}`` filled with folders of one
  work folder that every container mounts at the same path (standing in for object storage);
  its inputs are written as ``inputs.pb`` and its ``outputs.pb`` (or ``error.pb``) read back;
- a dynamic task's ``futures.pb`` (the dynamic job spec) is run the same way, node by node;
- an array node (``map_task``) runs its serialized ``pyflyte-map-execute`` once per index,
  the index passed as Flyte's array plugin passes it (``BATCH_JOB_ARRAY_INDEX_VAR_NAME``);
- a raw container (``ContainerTask``) gets what Flyte's copilot gives it: file and folder
  inputs under its input path, ``{{.inputs.x}}`` arguments filled in, and its outputs read
  from its output path by the interface's types;
- a Spark task runs as the Spark operator starts its driver pod: the image's entrypoint with
  ``driver``, ``spark-submit`` in client mode with the task's Spark configuration and its
  main application file (``--master local[2]`` in place of Kubernetes);
- branch nodes are decided on their serialized conditions, subworkflow nodes run inline,
  bindings resolved as propeller resolves them (attribute paths into a dataclass output, such
  as ``params.seed``, included), and the workflow's outputs bound at the end.

Not covered (they need a cluster): Kubernetes scheduling, propeller's retries and caching,
object storage (a shared folder stands in), copilot's sidecar itself, Spark executors in
other pods, gate nodes and launch-plan schedules.

    python -m deploy.container_backend --package out/flyte-package.tgz \\
        --workflow workflows.diagnose.diagnose --input rows=2000 --work /tmp/run
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import tarfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from flyteidl.admin import launch_plan_pb2, task_pb2, workflow_pb2
from flyteidl.core import (
    condition_pb2,
    dynamic_job_pb2,
    errors_pb2,
    interface_pb2,
    literals_pb2,
    tasks_pb2,
    types_pb2,
)
from flyteidl.core import (
    workflow_pb2 as core_workflow_pb2,
)
from google.protobuf.json_format import MessageToDict

log = logging.getLogger("daikiri.container_backend")

#: Where the shared work folder (object storage's stand-in) is mounted in every container.
STORAGE_IN_CONTAINER = "/flyte"
#: The environment variable that carries a map task's index, as Flyte's array plugin sets it.
ARRAY_INDEX_VARIABLE = "DAIKIRI_ARRAY_INDEX"
WORKFLOW_INPUTS = ("", "start-node")


class BackendError(RuntimeError):
    """A task failed in its container; the message names the node and carries the task's
    own error (flytekit's ``error.pb``) or the container's stderr."""


@dataclass(frozen=True)
class SerializedPackage:
    """The protobufs of a ``pyflyte package`` archive, by entity name."""

    tasks: dict[str, tasks_pb2.TaskTemplate]
    workflows: dict[str, core_workflow_pb2.WorkflowTemplate]
    launch_plans: dict[str, launch_plan_pb2.LaunchPlan]

    @classmethod
    def read(cls, archive: str | Path) -> SerializedPackage:
        """Read every ``*_1.pb`` (task), ``*_2.pb`` (workflow), ``*_3.pb`` (launch plan)."""
        tasks, workflows, plans = {}, {}, {}
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                data = tar.extractfile(member)
                if data is None or not member.name.endswith(".pb"):
                    continue
                raw = data.read()
                if member.name.endswith("_1.pb"):
                    spec = task_pb2.TaskSpec.FromString(raw)
                    tasks[spec.template.id.name] = spec.template
                elif member.name.endswith("_2.pb"):
                    spec = workflow_pb2.WorkflowSpec.FromString(raw)
                    workflows[spec.template.id.name] = spec.template
                    for sub in spec.sub_workflows:
                        workflows.setdefault(sub.id.name, sub)
                elif member.name.endswith("_3.pb"):
                    plan = launch_plan_pb2.LaunchPlan.FromString(raw)
                    plans[plan.id.name] = plan
        return cls(tasks=tasks, workflows=workflows, launch_plans=plans)

    def default_inputs(self, workflow: str) -> dict[str, literals_pb2.Literal]:
        """The workflow's default inputs, from its default launch plan."""
        parameters = self.launch_plans[workflow].spec.default_inputs.parameters
        return {name: p.default for name, p in parameters.items() if p.HasField("default")}


@dataclass
class TaskRun:
    """One task execution: which node, how long, which runtime."""

    node: str
    task: str
    seconds: float
    how: str


@dataclass
class ContainerBackend:
    """Executes serialized workflows with ``docker run`` (see the module docstring).

    ``work`` is the shared folder (mounted at ``/flyte`` in every container); ``images``
    maps an image named in the package to a local image, if they differ.
    """

    package: SerializedPackage
    work: Path
    images: Mapping[str, str] = field(default_factory=dict)
    docker: str = "docker"
    runs: list[TaskRun] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.work = Path(self.work).resolve()
        self._folder(self.work)

    # -- workflows and nodes -------------------------------------------------------------

    def run_workflow(self, name: str, inputs: Mapping[str, literals_pb2.Literal] | None = None,
                     ) -> literals_pb2.LiteralMap:
        """Run workflow ``name`` with its default inputs overridden by ``inputs``."""
        template = self.package.workflows[name]
        given = {**self.package.default_inputs(name), **(inputs or {})}
        missing = set(template.interface.inputs.variables) - set(given)
        if missing:
            raise BackendError(f"workflow {name}: no value for input(s) {sorted(missing)}")
        outputs: dict[str, literals_pb2.LiteralMap] = {
            key: literals_pb2.LiteralMap(literals=given) for key in WORKFLOW_INPUTS}
        self._run_nodes(template.nodes, outputs, "wf")
        return self._bind_all(template.outputs, outputs)

    def run_task(self, name: str, inputs: Mapping[str, literals_pb2.Literal],
                 path: str | None = None) -> literals_pb2.LiteralMap:
        """Run one serialized task (as a node of its own) with the given input literals."""
        template = self.package.tasks[name]
        node = path or f"task-{name.rsplit('.', 1)[-1]}-{len(self.runs)}"
        return self._run_task(template, literals_pb2.LiteralMap(literals=dict(inputs)), node,
                              node)

    def _run_nodes(self, nodes: Sequence[core_workflow_pb2.Node],
                   outputs: dict[str, literals_pb2.LiteralMap], prefix: str,
                   tasks: Mapping[str, tasks_pb2.TaskTemplate] | None = None) -> None:
        """Each node once every node its bindings (or its branches') read has run."""
        pending = list(nodes)
        while pending:
            ready = [n for n in pending if _dependencies(n) <= set(outputs)]
            if not ready:
                raise BackendError(f"nodes {[n.id for n in pending]} wait on each other")
            for node in ready:
                inputs = self._bind_all(node.inputs, outputs)
                outputs[node.id] = self._run_node(node, inputs, outputs, f"{prefix}-{node.id}",
                                                  tasks)
                pending.remove(node)

    def _run_node(self, node: core_workflow_pb2.Node, inputs: literals_pb2.LiteralMap,
                  outputs: dict[str, literals_pb2.LiteralMap], path: str,
                  tasks: Mapping[str, tasks_pb2.TaskTemplate] | None = None,
                  ) -> literals_pb2.LiteralMap:
        kind = node.WhichOneof("target")
        if kind == "task_node":
            template = self._task(node.task_node.reference_id.name, tasks)
            return self._run_task(template, inputs, path, node.id)
        if kind == "branch_node":
            chosen = self._branch(node.branch_node.if_else, inputs)
            chosen_inputs = self._bind_all(chosen.inputs, outputs)
            return self._run_node(chosen, chosen_inputs, outputs, f"{path}-{chosen.id}", tasks)
        if kind == "array_node":
            return self._run_array(node, inputs, path, tasks)
        if kind == "workflow_node" and node.workflow_node.HasField("sub_workflow_ref"):
            return self._run_subworkflow(node.workflow_node.sub_workflow_ref.name, inputs,
                                         path)
        raise BackendError(f"node {node.id}: {kind} nodes are not run here")

    def _run_subworkflow(self, name: str, inputs: literals_pb2.LiteralMap,
                         path: str) -> literals_pb2.LiteralMap:
        """A subworkflow node: its nodes run with the node's inputs as their workflow inputs,
        its outputs bound from them, as propeller runs a subworkflow inline."""
        if name not in self.package.workflows:
            raise BackendError(f"subworkflow {name} is not in the package")
        template = self.package.workflows[name]
        outputs: dict[str, literals_pb2.LiteralMap] = {key: inputs for key in WORKFLOW_INPUTS}
        self._run_nodes(template.nodes, outputs, path)
        return self._bind_all(template.outputs, outputs)

    def _task(self, name: str, tasks: Mapping[str, tasks_pb2.TaskTemplate] | None,
              ) -> tasks_pb2.TaskTemplate:
        if tasks and name in tasks:
            return tasks[name]
        return self.package.tasks[name]

    def _branch(self, if_else: core_workflow_pb2.IfElseBlock,
                inputs: literals_pb2.LiteralMap) -> core_workflow_pb2.Node:
        for block in [if_else.case, *if_else.other]:
            if _holds(block.condition, inputs):
                return block.then_node
        if if_else.HasField("else_node"):
            return if_else.else_node
        raise BackendError(if_else.error.message or "no branch matched")

    # -- bindings ------------------------------------------------------------------------

    def _bind_all(self, bindings: Sequence[literals_pb2.Binding],
                  outputs: Mapping[str, literals_pb2.LiteralMap]) -> literals_pb2.LiteralMap:
        return literals_pb2.LiteralMap(
            literals={b.var: _bind(b.binding, outputs) for b in bindings})

    # -- tasks ---------------------------------------------------------------------------

    def _run_task(self, template: tasks_pb2.TaskTemplate, inputs: literals_pb2.LiteralMap,
                  path: str, node: str, environment: Mapping[str, str] | None = None,
                  ) -> literals_pb2.LiteralMap:
        if template.type == "raw-container":
            return self._run_raw_container(template, inputs, path, node)
        folder = self._folder(self.work / path)
        (folder / "inputs.pb").write_bytes(inputs.SerializeToString())
        out, raw, checkpoint = (self._folder(folder / n) for n in ("out", "raw", "checkpoint"))
        templates = {"{{.input}}": self._in_container(folder / "inputs.pb"),
                     "{{.outputPrefix}}": self._in_container(out),
                     "{{.rawOutputDataPrefix}}": self._in_container(raw),
                     "{{.checkpointOutputPrefix}}": self._in_container(checkpoint),
                     "{{.prevCheckpointPrefix}}": ""}
        arguments = [templates.get(a, a) for a in
                     [*template.container.command, *template.container.args]]
        env = {e.key: e.value for e in template.container.env} | dict(environment or {})
        if template.type == "spark":
            how, command = "spark driver", self._spark_driver(template, arguments)
        else:
            how, command = "python", arguments
        done = self._docker_run(template, command, env, {}, node, how)
        error = out / "error.pb"
        if error.exists():  # the task's own error, as flytekit reports it to the backend
            document = errors_pb2.ErrorDocument.FromString(error.read_bytes())
            raise BackendError(f"node {node} ({template.id.name}) failed: "
                               f"{document.error.message.strip()}")
        if done.returncode != 0:
            raise BackendError(f"node {node} ({template.id.name}) exited with status "
                               f"{done.returncode}: {done.stderr.strip()[-3000:]}")
        futures = out / "futures.pb"
        if futures.exists():
            return self._run_dynamic(dynamic_job_pb2.DynamicJobSpec.FromString(
                futures.read_bytes()), path)
        return literals_pb2.LiteralMap.FromString((out / "outputs.pb").read_bytes())

    def _spark_driver(self, template: tasks_pb2.TaskTemplate,
                      arguments: list[str]) -> list[str]:
        """The driver pod's arguments, as the Spark operator gives them to the image's
        entrypoint (``driver``, then spark-submit's), with a local master for Kubernetes."""
        custom = MessageToDict(template.custom)
        conf = [item for key, value in sorted(custom.get("sparkConf", {}).items())
                for item in ("--conf", f"{key}={value}")]
        return ["driver", "--master", "local[2]", *conf, custom["mainApplicationFile"],
                *arguments]

    def _run_dynamic(self, spec: dynamic_job_pb2.DynamicJobSpec,
                     path: str) -> literals_pb2.LiteralMap:
        tasks = {t.id.name: t for t in spec.tasks}
        outputs: dict[str, literals_pb2.LiteralMap] = {}
        self._run_nodes(spec.nodes, outputs, f"{path}-dyn", tasks)
        return self._bind_all(spec.outputs, outputs)

    def _run_array(self, node: core_workflow_pb2.Node, inputs: literals_pb2.LiteralMap,
                   path: str, tasks: Mapping[str, tasks_pb2.TaskTemplate] | None,
                   ) -> literals_pb2.LiteralMap:
        sub = node.array_node.node
        template = self._task(sub.task_node.reference_id.name, tasks)
        bound = set(node.array_node.bound_inputs)
        mapped = [k for k in inputs.literals if k not in bound]
        sizes = {len(inputs.literals[k].collection.literals) for k in mapped}
        if len(sizes) != 1:
            raise BackendError(f"node {node.id}: mapped inputs {mapped} differ in length")
        size = sizes.pop()
        collected: dict[str, list[literals_pb2.Literal]] = {
            k: [] for k in template.interface.outputs.variables}
        for index in range(size):
            result = self._run_task(template, inputs, f"{path}-{index}", f"{node.id}[{index}]",
                                    {"BATCH_JOB_ARRAY_INDEX_VAR_NAME": ARRAY_INDEX_VARIABLE,
                                     ARRAY_INDEX_VARIABLE: str(index)})
            for key in collected:
                collected[key].append(result.literals[key])
        return literals_pb2.LiteralMap(literals={
            k: literals_pb2.Literal(collection=literals_pb2.LiteralCollection(literals=v))
            for k, v in collected.items()})

    def _run_raw_container(self, template: tasks_pb2.TaskTemplate,
                           inputs: literals_pb2.LiteralMap, path: str,
                           node: str) -> literals_pb2.LiteralMap:
        """As Flyte's copilot runs a ContainerTask: inputs downloaded under the input path,
        ``{{.inputs.x}}`` filled in, outputs collected from the output path by type."""
        config = template.container.data_config
        folder = self._folder(self.work / path)
        outputs = self._folder(folder / "outputs")
        mounts = {}
        for name, literal in inputs.literals.items():
            blob = _blob(literal)
            if blob is not None:
                mounts[self.host_path(blob.uri)] = f"{config.input_path}/{name}"
        mounts[outputs] = config.output_path
        values = {f"{{{{.inputs.{k}}}}}": _as_text(v) for k, v in inputs.literals.items()
                  if _blob(v) is None}
        arguments = [values.get(a, a) for a in
                     [*template.container.command, *template.container.args]]
        done = self._docker_run(template, arguments, {}, mounts, node, "raw container")
        if done.returncode != 0:
            raise BackendError(f"node {node} ({template.id.name}) exited with status "
                               f"{done.returncode}: {done.stderr.strip()[-2000:]}")
        literals = {}
        for name, variable in template.interface.outputs.variables.items():
            produced = outputs / name
            if not produced.exists():
                raise BackendError(f"node {node} ({template.id.name}) wrote no output "
                                   f"'{name}' to {config.output_path}/{name}")
            literals[name] = _output_literal(variable.type, produced,
                                             self._in_container(produced))
        return literals_pb2.LiteralMap(literals=literals)

    # -- containers ----------------------------------------------------------------------

    def _docker_run(self, template: tasks_pb2.TaskTemplate, arguments: list[str],
                    env: Mapping[str, str], mounts: Mapping[Path, str], node: str,
                    how: str) -> subprocess.CompletedProcess:
        image = self.images.get(template.container.image, template.container.image)
        command = [self.docker, "run", "--rm", "-v", f"{self.work}:{STORAGE_IN_CONTAINER}"]
        for host, inside in mounts.items():
            command += ["-v", f"{host}:{inside}"]
        for key, value in env.items():
            command += ["-e", f"{key}={value}"]
        started = time.monotonic()
        done = subprocess.run([*command, image, *arguments], capture_output=True, text=True)
        seconds = time.monotonic() - started
        self.runs.append(TaskRun(node=node, task=template.id.name, seconds=seconds, how=how))
        log.info("%s %s (%s in %s): exit %d, %.1f s", node, template.id.name, how, image,
                 done.returncode, seconds)
        return done

    def _folder(self, path: Path) -> Path:
        """A folder every container user may write (object storage has no owners)."""
        path.mkdir(parents=True, exist_ok=True)
        path.chmod(0o777)
        return path

    def _in_container(self, path: Path) -> str:
        return STORAGE_IN_CONTAINER + "/" + str(Path(path).resolve().relative_to(self.work))

    def host_path(self, uri: str) -> Path:
        """Where a literal's URI (a blob, a structured dataset) is on this machine."""
        uri = uri.removeprefix("file://")
        if uri != STORAGE_IN_CONTAINER and not uri.startswith(STORAGE_IN_CONTAINER + "/"):
            raise BackendError(f"{uri} is outside the shared storage {STORAGE_IN_CONTAINER}")
        return self.work / uri[len(STORAGE_IN_CONTAINER) + 1:]


def _dependencies(node: core_workflow_pb2.Node) -> set[str]:
    """The nodes whose outputs ``node`` reads: its upstream nodes and every promise in its
    bindings, and for a branch node those of each branch (which may read nodes the branch
    node itself does not list)."""
    found = set(node.upstream_node_ids)
    stack = [b.binding for b in node.inputs]
    if node.HasField("branch_node"):
        if_else = node.branch_node.if_else
        branches = [if_else.case.then_node, *(b.then_node for b in if_else.other)]
        if if_else.HasField("else_node"):
            branches.append(if_else.else_node)
        for branch in branches:
            found |= _dependencies(branch)
    while stack:
        data = stack.pop()
        kind = data.WhichOneof("value")
        if kind == "promise":
            found.add(data.promise.node_id)
        elif kind == "collection":
            stack.extend(data.collection.bindings)
        elif kind == "map":
            stack.extend(data.map.bindings.values())
    return found - set(WORKFLOW_INPUTS)


def _bind(data: literals_pb2.BindingData,
          outputs: Mapping[str, literals_pb2.LiteralMap]) -> literals_pb2.Literal:
    kind = data.WhichOneof("value")
    if kind == "scalar":
        return literals_pb2.Literal(scalar=data.scalar)
    if kind == "collection":
        return literals_pb2.Literal(collection=literals_pb2.LiteralCollection(
            literals=[_bind(b, outputs) for b in data.collection.bindings]))
    if kind == "map":
        return literals_pb2.Literal(map=literals_pb2.LiteralMap(
            literals={k: _bind(v, outputs) for k, v in data.map.bindings.items()}))
    if kind == "promise":
        reference = data.promise
        source = outputs.get(reference.node_id)
        if source is None or reference.var not in source.literals:
            raise BackendError(f"no output {reference.var!r} of node {reference.node_id!r}")
        literal = source.literals[reference.var]
        return _attribute(literal, reference) if reference.attr_path else literal
    raise BackendError(f"binding of kind {kind} is not supported")


def _attribute(literal: literals_pb2.Literal,
               reference: types_pb2.OutputReference) -> literals_pb2.Literal:
    """A promise's attribute (``params.seed``) out of a dataclass output, as propeller's
    attribute-path resolver gives it: the dataclass is msgpack inside a binary scalar; a
    primitive comes out as a primitive scalar, a list as a collection of msgpack items,
    anything else as msgpack again."""
    import msgpack

    binary = literal.scalar.binary
    if binary.tag != "msgpack":
        raise BackendError(f"attribute path on a literal that is not msgpack ({reference})")
    value = msgpack.unpackb(binary.value, strict_map_key=False)
    for step in reference.attr_path:
        key = step.string_value if step.WhichOneof("value") == "string_value" else step.int_value
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            raise BackendError(f"{reference.node_id}.{reference.var}: no attribute {key!r}") \
                from None

    def packed(item: object) -> literals_pb2.Literal:
        return literals_pb2.Literal(scalar=literals_pb2.Scalar(binary=literals_pb2.Binary(
            value=msgpack.packb(item), tag="msgpack")))

    if isinstance(value, list):
        return literals_pb2.Literal(collection=literals_pb2.LiteralCollection(
            literals=[packed(item) for item in value]))
    field = {bool: "boolean", int: "integer", float: "float_value", str: "string_value"}.get(
        type(value))
    if field is not None:
        return literals_pb2.Literal(scalar=literals_pb2.Scalar(
            primitive=literals_pb2.Primitive(**{field: value})))
    return packed(value)


def _primitive_value(primitive: literals_pb2.Primitive) -> object:
    return getattr(primitive, primitive.WhichOneof("value"))


def _operand(operand: condition_pb2.Operand, inputs: literals_pb2.LiteralMap) -> object:
    kind = operand.WhichOneof("val")
    if kind == "primitive":
        return _primitive_value(operand.primitive)
    if kind == "var":
        scalar = inputs.literals[operand.var].scalar
        if scalar.HasField("union"):
            scalar = scalar.union.value.scalar
        if scalar.HasField("none_type"):
            return None
        return _primitive_value(scalar.primitive)
    if kind == "scalar":
        return None if operand.scalar.HasField("none_type") else _primitive_value(
            operand.scalar.primitive)
    raise BackendError(f"operand of kind {kind} is not supported")


def _holds(expression: condition_pb2.BooleanExpression,
           inputs: literals_pb2.LiteralMap) -> bool:
    if expression.HasField("conjunction"):
        conjunction = expression.conjunction
        left = _holds(conjunction.left_expression, inputs)
        right = _holds(conjunction.right_expression, inputs)
        return (left and right) if conjunction.operator == 0 else (left or right)
    comparison = expression.comparison
    left = _operand(comparison.left_value, inputs)
    right = _operand(comparison.right_value, inputs)
    name = condition_pb2.ComparisonExpression.Operator.Name(comparison.operator)
    return {"EQ": lambda: left == right, "NEQ": lambda: left != right,
            "GT": lambda: left > right, "GTE": lambda: left >= right,
            "LT": lambda: left < right, "LTE": lambda: left <= right}[name]()


def _blob(literal: literals_pb2.Literal) -> literals_pb2.Blob | None:
    scalar = literal.scalar
    if scalar.HasField("union"):
        scalar = scalar.union.value.scalar
    return scalar.blob if scalar.HasField("blob") else None


def _as_text(literal: literals_pb2.Literal) -> str:
    """A primitive as propeller writes it into a command (Go's %v: 3.0 is "3")."""
    value = _primitive_value(literal.scalar.primitive)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _output_literal(kind: types_pb2.LiteralType, produced: Path,
                    uri: str) -> literals_pb2.Literal:
    if kind.HasField("blob"):
        return literals_pb2.Literal(scalar=literals_pb2.Scalar(blob=literals_pb2.Blob(
            metadata=literals_pb2.BlobMetadata(type=kind.blob), uri=uri)))
    text = produced.read_text(encoding="utf-8").strip()
    simple = types_pb2.SimpleType.Name(kind.simple)
    parse = {"INTEGER": lambda: literals_pb2.Primitive(integer=int(text)),
             "FLOAT": lambda: literals_pb2.Primitive(float_value=float(text)),
             "STRING": lambda: literals_pb2.Primitive(string_value=text),
             "BOOLEAN": lambda: literals_pb2.Primitive(boolean=text.lower() == "true")}
    if simple not in parse:
        raise BackendError(f"output type {simple} of a raw container is not supported")
    return literals_pb2.Literal(scalar=literals_pb2.Scalar(primitive=parse[simple]()))


def literal(value: object, variable: interface_pb2.Variable) -> literals_pb2.Literal:
    """A Python value as the literal of a workflow input (flytekit's own type engine)."""
    from flytekit.core.context_manager import FlyteContextManager
    from flytekit.core.type_engine import TypeEngine
    from flytekit.models.types import LiteralType

    kind = LiteralType.from_flyte_idl(variable.type)
    python_type = TypeEngine.guess_python_type(kind)
    if python_type is float and isinstance(value, int):
        value = float(value)  # JSON's 3 for a float input
    ctx = FlyteContextManager.current_context()
    return TypeEngine.to_literal(ctx, value, python_type, kind).to_flyte_idl()


def file_literal(uri: str, variable: interface_pb2.Variable) -> literals_pb2.Literal:
    """A file input (``FlyteFile``, or ``FlyteFile | None``) that refers to ``uri`` as it is:
    nothing is uploaded, as for a file a user names in the Flyte UI."""
    kind = variable.type
    variants = [v for v in kind.union_type.variants if v.HasField("blob")]
    blob_type = variants[0] if variants else kind
    value = literals_pb2.Literal(scalar=literals_pb2.Scalar(blob=literals_pb2.Blob(
        metadata=literals_pb2.BlobMetadata(type=blob_type.blob), uri=uri)))
    if not variants:
        return value
    return literals_pb2.Literal(scalar=literals_pb2.Scalar(
        union=literals_pb2.Union(value=value, type=blob_type)))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--package", required=True, help="a `pyflyte package` archive")
    parser.add_argument("--workflow", required=True, help="e.g. workflows.diagnose.diagnose")
    parser.add_argument("--input", action="append", default=[], metavar="NAME=JSON",
                        help="a workflow input (JSON value); repeatable")
    parser.add_argument("--work", required=True, help="the shared folder (storage)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    package = SerializedPackage.read(args.package)
    variables = package.workflows[args.workflow].interface.inputs.variables
    inputs = {}
    for item in args.input:
        name, _, text = item.partition("=")
        if name not in variables:
            parser.error(f"--input {name}: the workflow has no such input "
                         f"(inputs: {', '.join(sorted(variables))})")
        inputs[name] = literal(json.loads(text), variables[name])
    backend = ContainerBackend(package, Path(args.work))
    outputs = backend.run_workflow(args.workflow, inputs)
    print(json.dumps(MessageToDict(outputs), indent=1)[:20000])
    return 0


if __name__ == "__main__":
    sys.exit(main())
