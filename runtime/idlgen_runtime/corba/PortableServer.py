"""The ``PortableServer`` module: Servant, POA, POAManager, policy values."""

from __future__ import annotations

from idlgen_runtime.giop.poa import (
    IMPLICIT_ACTIVATION,
    MAIN_THREAD_MODEL,
    MULTIPLE_ID,
    NO_IMPLICIT_ACTIVATION,
    NON_RETAIN,
    ORB_CTRL_MODEL,
    PERSISTENT,
    POA,
    RETAIN,
    SINGLE_THREAD_MODEL,
    SYSTEM_ID,
    UNIQUE_ID,
    USE_ACTIVE_OBJECT_MAP_ONLY,
    USE_DEFAULT_SERVANT,
    USE_SERVANT_MANAGER,
    USER_ID,
    ForwardRequest,
    IdAssignmentPolicy,
    IdUniquenessPolicy,
    ImplicitActivationPolicy,
    LifespanPolicy,
    POAManager,
    Policy,
    RequestProcessingPolicy,
    ServantRetentionPolicy,
    ThreadPolicy,
)
from idlgen_runtime.giop.poa import TRANSIENT_ as TRANSIENT
from idlgen_runtime.giop.servant import Servant

ObjectId = bytes


def string_to_ObjectId(s: str) -> bytes:  # noqa: N802 - the standard name
    return s.encode("utf-8")


def ObjectId_to_string(oid: bytes) -> str:  # noqa: N802
    return oid.decode("utf-8", "replace")


__all__ = [
    "IMPLICIT_ACTIVATION",
    "MAIN_THREAD_MODEL",
    "MULTIPLE_ID",
    "NO_IMPLICIT_ACTIVATION",
    "NON_RETAIN",
    "ORB_CTRL_MODEL",
    "PERSISTENT",
    "POA",
    "RETAIN",
    "SINGLE_THREAD_MODEL",
    "SYSTEM_ID",
    "TRANSIENT",
    "UNIQUE_ID",
    "USER_ID",
    "USE_ACTIVE_OBJECT_MAP_ONLY",
    "USE_DEFAULT_SERVANT",
    "USE_SERVANT_MANAGER",
    "ForwardRequest",
    "IdAssignmentPolicy",
    "IdUniquenessPolicy",
    "ImplicitActivationPolicy",
    "LifespanPolicy",
    "ObjectId",
    "POAManager",
    "Policy",
    "RequestProcessingPolicy",
    "Servant",
    "ServantRetentionPolicy",
    "ThreadPolicy",
]
