"""FHIR R4 interface of the directory (``/api/v1/directory/fhir``): read, search, metadata.

- ``[base]/metadata`` answers a CapabilityStatement (:mod:`virage.directory.fhir_capability`)
  without a token, so that a stock client can discover the server; everything else needs a
  bearer token (permission ``directory.read``).
- Searches by identifier take the systems of FR Core 2.2.0 and the Annuaire Santé guide
  (``https://finess.esante.gouv.fr``, ``urn:oid:1.2.250.1.71.4.2.2``, ``https://rpps.esante.gouv.fr``,
  ``urn:oid:1.2.250.1.71.4.2.1``) and, as aliases, those Virage used before
  (``http://finess.sante.gouv.fr``, ``http://rpps.fr``). FINESS and RPPS numbers are checked,
  check digit included.
- Every error under the FHIR base is an ``OperationOutcome`` with a French text
  (:mod:`virage.directory.fhir_errors`); the rest of the API keeps Virage's error body.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.params import FromPath, QueryParameter

from virage.accounts.auth import require_actor_guard
from virage.deps import Access
from virage.directory import fhir, fhir_capability, fhir_errors, identifiers, service
from virage.errors import InvalidInput, NotFound

BASE = "/api/v1/directory/fhir"
fhir_errors.register(BASE)


def _fhir(content: dict[str, Any]) -> Response:
    return Response(content=content, media_type=fhir.MEDIA_TYPE)


def _token(value: str) -> tuple[str | None, str]:
    """A FHIR token ``system|value`` (or a bare value) → (system or None, value)."""
    if len(value) > 300:
        raise InvalidInput("Identifiant trop long (300 caractères au plus).")
    system, sep, code = value.partition("|")
    if not sep:
        return None, value.strip()
    return (system.strip() or None), code.strip()


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + BASE


def finess_of_token(identifier: str) -> str:
    """The FINESS number a search ``identifier`` designates (FINESS or idNatSt « 1 » + FINESS)."""
    system, value = _token(identifier)
    if system is None or identifiers.is_finess_system(system):
        return identifiers.check_finess(value)
    if system == identifiers.IDNST_SYSTEM:
        if not value.startswith("1"):
            raise InvalidInput(
                "Seuls les identifiants nationaux de structure issus du FINESS (« 1 » suivi du "
                "numéro FINESS) sont connus de cet annuaire."
            )
        return identifiers.check_finess(value[1:])
    raise InvalidInput(
        f"Système d'identifiant non pris en charge : {system} (attendu "
        f"{identifiers.FINESS_SYSTEM} ou {identifiers.IDNST_SYSTEM}; "
        f"{identifiers.LEGACY_FINESS_SYSTEMS[0]} reste accepté)."
    )


def idnps_of_token(identifier: str) -> str:
    """The national practitioner identifier a search ``identifier`` designates (IDNPS or RPPS)."""
    system, value = _token(identifier)
    if identifiers.is_rpps_system(system):
        return "8" + identifiers.check_rpps(value)
    if system not in (None, identifiers.IDNPS_SYSTEM):
        raise InvalidInput(
            f"Système d'identifiant non pris en charge : {system} (attendu "
            f"{identifiers.IDNPS_SYSTEM} ou {identifiers.RPPS_SYSTEM}; "
            f"{identifiers.LEGACY_RPPS_SYSTEMS[0]} reste accepté)."
        )
    if value.startswith("8"):
        identifiers.check_rpps(value[1:])
    return value


class FhirMetadataController(Controller):
    """``[base]/metadata``: readable without a token (it says what the server does, nothing more)."""

    path = BASE
    tags = ["Annuaire (FHIR R4)"]

    @get(
        "/metadata",
        summary="Déclaration de capacités FHIR (CapabilityStatement)",
        media_type=fhir.MEDIA_TYPE,
    )
    async def metadata(self, request: Request) -> Response:
        return _fhir(fhir_capability.capability_statement(_base(request)))


class FhirController(Controller):
    """FHIR R4 read and search (by identifier) of the directory."""

    path = BASE
    tags = ["Annuaire (FHIR R4)"]
    guards = [require_actor_guard]

    @get(
        "/Organization/{structure_id:int}",
        summary="Structure au format FHIR Organization",
        media_type=fhir.MEDIA_TYPE,
    )
    async def organization(self, access: Access, structure_id: FromPath[int]) -> Response:
        service.require_read(access)
        return _fhir(fhir.organization(service.structure_detail(access.db, structure_id)))

    @get(
        "/Organization",
        summary="Recherche FHIR d'Organization par identifiant (FINESS, idNatSt)",
        media_type=fhir.MEDIA_TYPE,
    )
    async def organizations(
        self,
        request: Request,
        access: Access,
        identifier: Annotated[
            str,
            QueryParameter(
                description="« https://finess.esante.gouv.fr|010780195 », "
                "« urn:oid:1.2.250.1.71.4.2.2|1010780195 » ou le seul numéro FINESS "
                "(l'ancien système http://finess.sante.gouv.fr reste accepté)"
            ),
        ],
    ) -> Response:
        service.require_read(access)
        number = finess_of_token(identifier)
        try:
            found = [fhir.organization(service.structure_by_finess(access.db, number))]
        except NotFound:
            found = []
        return _fhir(fhir.bundle(found, _base(request)))

    @get(
        "/HealthcareService/{structure_id:int}",
        summary="Établissement au format FHIR HealthcareService",
        media_type=fhir.MEDIA_TYPE,
    )
    async def healthcare_service(self, access: Access, structure_id: FromPath[int]) -> Response:
        service.require_read(access)
        row = service.structure_detail(access.db, structure_id)
        if row["kind"] != "ET":
            raise NotFound(
                "Une entité juridique ne décrit pas de service : demandez l'un de ses "
                "établissements."
            )
        return _fhir(fhir.healthcare_service(row))

    @get(
        "/Practitioner/{professional_id:int}",
        summary="Professionnel au format FHIR Practitioner",
        media_type=fhir.MEDIA_TYPE,
    )
    async def practitioner(self, access: Access, professional_id: FromPath[int]) -> Response:
        service.require_read(access)
        return _fhir(fhir.practitioner(service.professional_detail(access.db, professional_id)))

    @get(
        "/Practitioner",
        summary="Recherche FHIR de Practitioner par identifiant (idNatPs, RPPS)",
        media_type=fhir.MEDIA_TYPE,
    )
    async def practitioners(
        self,
        request: Request,
        access: Access,
        identifier: Annotated[
            str,
            QueryParameter(
                description="« urn:oid:1.2.250.1.71.4.2.1|810001234567 » (idNatPs) ou "
                "« https://rpps.esante.gouv.fr|10001234567 » (RPPS ; l'ancien système "
                "http://rpps.fr reste accepté)"
            ),
        ],
    ) -> Response:
        service.require_read(access)
        idnps = idnps_of_token(identifier)
        professional = service.professional_by_idnps(access.db, idnps)
        found = [fhir.practitioner(professional)] if professional else []
        return _fhir(fhir.bundle(found, _base(request)))

    @get(
        "/PractitionerRole/{role_id:int}",
        summary="Rôle d'un professionnel au format FHIR PractitionerRole",
        media_type=fhir.MEDIA_TYPE,
    )
    async def practitioner_role(self, access: Access, role_id: FromPath[int]) -> Response:
        service.require_read(access)
        role = service.get_role(access.db, role_id)
        if role is None:
            raise NotFound("Ce rôle n'existe pas dans l'annuaire.")
        professional = service.professional_detail(access.db, role["professional_id"])
        detailed = next(r for r in professional["roles"] if r["id"] == role_id)
        return _fhir(fhir.practitioner_role(professional, detailed))

    @get(
        "/PractitionerRole",
        summary="Rôles d'un professionnel (FHIR, recherche par practitioner)",
        media_type=fhir.MEDIA_TYPE,
    )
    async def practitioner_roles(
        self,
        request: Request,
        access: Access,
        practitioner: Annotated[
            str,
            QueryParameter(description="Identifiant du professionnel : « Practitioner/12 » ou 12"),
        ],
    ) -> Response:
        service.require_read(access)
        raw = practitioner.removeprefix("Practitioner/")
        if not raw.isdigit() or len(raw) > 18:
            raise InvalidInput("practitioner attend « Practitioner/<id> » ou un nombre.")
        professional = service.professional_detail(access.db, int(raw))
        roles = [fhir.practitioner_role(professional, r) for r in professional["roles"]]
        return _fhir(fhir.bundle(roles, _base(request)))
