"""Writes for the LTI tool: registrations, the accounts and cohorts a launch maps to, placements
(deep linking) and the roster pull (NRPS). Grade passback lives in apps.lti.grades."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction

from apps.audit.services import audit_record
from apps.bank.models import Topic
from apps.cohorts.models import Assignment
from apps.cohorts.services import (
    CohortError,
    assignment_create,
    assignment_start,
    cohort_create,
    cohort_join,
)
from apps.core import ratelimit
from apps.core.ratelimit import RateLimited
from apps.live.models import NICKNAME_MAX, LiveGame, LivePlayer
from apps.live.services import GameSpec, LiveError, clean_nickname, game_create, game_join
from apps.lti.grades import score_on_attempt_finished
from apps.lti.models import (
    Course,
    Deployment,
    Identity,
    LaunchedAttempt,
    LaunchedSeat,
    Placement,
    Registration,
)
from apps.quiz.models import QuizAttempt
from apps.quiz.services import MAX_COUNT, MIN_COUNT, QuizError, QuizSpec, quiz_start

ROLES_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/roles"
CONTEXT_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/context"
CUSTOM_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/custom"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
INSTRUCTOR_ROLES = {
    "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
    "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant",
    "Instructor",  # the short form the LTI 1.3 spec allows for context roles
}
LEARNER_ROLES = {"http://purl.imsglobal.org/vocab/lis/v2/membership#Learner", "Learner"}
MAX_ID = 255
MAX_URL = 500


class LtiError(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


# --- registrations ---------------------------------------------------------------------------------

def _url(value: str, label: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_URL:
        raise LtiError(f"{label}: at most {MAX_URL} characters.")
    try:
        URLValidator(schemes=["https", "http"])(value)
    except ValidationError:
        raise LtiError(f"{label}: not a URL.") from None
    return value


def registration_create(*, name: str, issuer: str, client_id: str, auth_login_url: str,
                        auth_token_url: str, keyset_url: str, deployment_ids: list[str],
                        auth_audience: str = "", by=None) -> Registration:
    name, client_id = name.strip(), client_id.strip()
    ids = list(dict.fromkeys(d.strip() for d in deployment_ids if d.strip()))
    if not name or len(name) > 120:
        raise LtiError("Name: 1 to 120 characters.")
    if not client_id or len(client_id) > MAX_ID:
        raise LtiError(f"Client id: 1 to {MAX_ID} characters.")
    if not ids or any(len(d) > MAX_ID for d in ids) or len(ids) > 50:
        raise LtiError(f"Deployment ids: 1 to 50, each at most {MAX_ID} characters.")
    if len(auth_audience) > MAX_URL:
        raise LtiError(f"Token audience: at most {MAX_URL} characters.")
    if len(issuer.strip()) > MAX_ID:
        raise LtiError(f"Issuer: at most {MAX_ID} characters.")
    fields = {"issuer": _url(issuer, "Issuer"),
              "auth_login_url": _url(auth_login_url, "Auth login URL"),
              "auth_token_url": _url(auth_token_url, "Auth token URL"),
              "keyset_url": _url(keyset_url, "Key set URL")}
    try:
        with transaction.atomic():
            row = Registration.objects.create(name=name, client_id=client_id,
                                              auth_audience=auth_audience.strip(), **fields)
            Deployment.objects.bulk_create([Deployment(registration=row, deployment_id=d)
                                            for d in ids])
            audit_record(actor=by, action="lti.registration.create", subject=str(row)[:200],
                         data={"registration": row.pk})
    except IntegrityError:
        raise LtiError("This issuer and client id are registered already.", 409) from None
    return row


def deployment_add(*, registration: Registration, deployment_id: str) -> Deployment:
    deployment_id = deployment_id.strip()
    if not deployment_id or len(deployment_id) > MAX_ID:
        raise LtiError(f"Deployment id: 1 to {MAX_ID} characters.")
    row, _ = Deployment.objects.get_or_create(registration=registration,
                                              deployment_id=deployment_id)
    return row


# --- what a launch says ------------------------------------------------------------------------------

@dataclass
class LaunchFacts:
    """The parts of a validated launch the tool uses, bounded."""

    registration: Registration
    issuer: str
    sub: str
    name: str
    roles: list[str]
    context_id: str
    context_title: str
    custom: dict = field(default_factory=dict)
    lineitem_url: str = ""
    memberships_url: str = ""

    @property
    def is_instructor(self) -> bool:
        return bool(INSTRUCTOR_ROLES.intersection(self.roles))


def _bounded(value, limit: int, label: str) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise LtiError(f"The launch's {label} is missing or longer than {limit} characters.")
    return value


def launch_facts(*, registration: Registration, body: dict) -> LaunchFacts:
    context = body.get(CONTEXT_CLAIM) or {}
    if not isinstance(context, dict) or not context.get("id"):
        raise LtiError("The launch has no course (context claim); place the tool in a course.")
    roles = body.get(ROLES_CLAIM) or []
    if not isinstance(roles, list):
        raise LtiError("The launch's roles claim is not a list.")
    ags = body.get(AGS_CLAIM) or {}
    nrps = body.get(NRPS_CLAIM) or {}
    custom = body.get(CUSTOM_CLAIM) or {}
    name = body.get("name") or " ".join(filter(None, [body.get("given_name"),
                                                        body.get("family_name")]))
    return LaunchFacts(
        registration=registration, issuer=_bounded(body.get("iss"), MAX_ID, "issuer"),
        sub=_bounded(body.get("sub"), MAX_ID, "user id (sub)"),
        name=name[:150] if isinstance(name, str) else "",
        roles=[r for r in roles[:50] if isinstance(r, str)],
        context_id=_bounded(context.get("id"), MAX_ID, "course id"),
        context_title=str(context.get("title") or context.get("label") or "")[:120],
        custom=custom if isinstance(custom, dict) else {},
        lineitem_url=_url_or_blank(ags.get("lineitem") if isinstance(ags, dict) else None),
        memberships_url=_url_or_blank(nrps.get("context_memberships_url")
                                      if isinstance(nrps, dict) else None))


def _url_or_blank(value) -> str:
    if not isinstance(value, str) or not value:
        return ""
    try:
        return _url(value, "service URL")
    except LtiError:
        return ""


# --- accounts and courses ------------------------------------------------------------------------------

def identity_user(*, issuer: str, sub: str, name: str = ""):
    """The platform account linked to (issuer, sub), created on first sight with an unusable
    password (the learner signs in through the LMS only). Safe under a race: the unique
    (issuer, sub) decides, the loser reads the winner's row."""
    found = Identity.objects.select_related("user").filter(issuer=issuer, sub=sub).first()
    if found:
        return found.user
    User = get_user_model()
    digest = hashlib.sha256(f"{issuer}\n{sub}".encode()).hexdigest()[:20]
    try:
        with transaction.atomic():
            user = User(username=f"lti-{digest}", first_name=name[:150])
            user.set_unusable_password()
            user.save()
            Identity.objects.create(issuer=issuer, sub=sub, user=user)
            audit_record(actor=user, action="lti.account.create", subject=user.username,
                         data={"issuer": issuer[:200]})
    except IntegrityError:
        return Identity.objects.select_related("user").get(issuer=issuer, sub=sub).user
    return user


def course_for_instructor(*, facts: LaunchFacts, user) -> Course:
    """The cohort the LMS course maps to, made (owned by this instructor) on first sight; the
    instructor is recorded as one of the course's, and the NRPS URL kept fresh."""
    course = Course.objects.filter(registration=facts.registration,
                                   context_id=facts.context_id).first()
    if course is None:
        try:
            with transaction.atomic():
                cohort = cohort_create(owner=user, name=facts.context_title or "LMS course")
                course = Course.objects.create(registration=facts.registration,
                                               context_id=facts.context_id,
                                               title=facts.context_title, cohort=cohort)
        except IntegrityError:
            course = Course.objects.get(registration=facts.registration,
                                        context_id=facts.context_id)
    course.instructors.add(user)
    _course_refresh(course, facts)
    return course


def _course_refresh(course: Course, facts: LaunchFacts) -> None:
    if facts.memberships_url and facts.memberships_url != course.memberships_url:
        Course.objects.filter(pk=course.pk).update(memberships_url=facts.memberships_url)
        course.memberships_url = facts.memberships_url


# --- placements (deep linking) ----------------------------------------------------------------------------

def placement_create(*, course: Course, by, kind: str, assignment_id: int | None = None,
                     title: str = "", topic: str | None = None, count: int = 10,
                     due_at=None, game_id=None) -> Placement:
    """An existing cohort assignment (`assignment_id`), a new one on a topic (`title`, `topic`,
    `count`, `due_at`), a speed quiz on a topic, or a live class game: an unfinished one `by`
    hosts (`game_id`, its public id) or a new one on a topic (`topic`, `count`, apps.live's
    limits). The caller checked `by` teaches `course`."""
    if kind == Placement.Kind.LIVE:
        return _live_placement(course=course, by=by, title=title, topic=topic, count=count,
                               game_id=game_id)
    if kind == Placement.Kind.ASSIGNMENT:
        if assignment_id is not None:
            assignment = Assignment.objects.filter(pk=assignment_id,
                                                   cohort=course.cohort_id).first()
            if assignment is None:
                raise LtiError("Pick one of this course's assignments.", 404)
        else:
            try:
                assignment = assignment_create(cohort=course.cohort, by=by, title=title,
                                               due_at=due_at, topic=topic, count=count)
            except CohortError as exc:
                raise LtiError(exc.message, exc.status) from None
        maximum = len(assignment.question_slugs) if assignment.is_fixed else assignment.count
        return _placement(course=course, by=by, kind=kind, title=assignment.title,
                          assignment=assignment, topic=assignment.topic, count=maximum)
    if kind == Placement.Kind.SPEED:
        topic_row = Topic.objects.filter(slug=topic or "").first()
        if topic_row is None:
            raise LtiError("Unknown topic.")
        if not MIN_COUNT <= count <= MAX_COUNT:
            raise LtiError(f"Choose between {MIN_COUNT} and {MAX_COUNT} questions.")
        title = (title.strip() or f"Speed quiz: {topic_row.name}")[:120]
        return _placement(course=course, by=by, kind=kind, title=title, assignment=None,
                          topic=topic_row, count=count)
    raise LtiError("Pick an assignment or a speed quiz.")


def _live_placement(*, course, by, title, topic, count, game_id) -> Placement:
    """The score of a live game is the number of questions answered right, so its maximum is the
    game's question count (its speed points have no fixed maximum to report against)."""
    if game_id is not None:
        game = (LiveGame.objects.filter(public_id=game_id, host=by)
                .exclude(state=LiveGame.State.FINISHED).first())
        if game is None:
            raise LtiError("Pick one of the unfinished live games you host.", 404)
        topic_row = None
    else:
        topic_row = Topic.objects.filter(slug=topic or "").first()
        if topic_row is None:
            raise LtiError("Pick a topic for the new live game (or one of your games).")
        try:
            # The same creation limit as /live/new/ (its bucket: the user).
            ratelimit.hit("live_create", f"u{by.pk}")
            game = game_create(host=by, spec=GameSpec(count=count, topic=topic_row.slug))
        except RateLimited as exc:
            raise LtiError(exc.message, 429) from None
        except LiveError as exc:
            raise LtiError(exc.message, exc.status) from None
    title = (title.strip() or f"Live game: {game.focus_label}")[:120]
    return _placement(course=course, by=by, kind=Placement.Kind.LIVE, title=title,
                      assignment=None, topic=topic_row, count=game.question_count,
                      live_game=game)


def _placement(*, course, by, kind, title, assignment, topic, count,
               live_game=None) -> Placement:
    with transaction.atomic():
        placement = Placement.objects.create(
            token=secrets.token_hex(16), course=course, kind=kind, title=title[:120],
            assignment=assignment, topic=topic, count=count, score_maximum=count, created_by=by,
            live_game=live_game)
        audit_record(actor=by, action="lti.placement.create", subject=placement.title,
                     data={"placement": placement.pk, "course": course.pk})
    return placement


# --- launches -------------------------------------------------------------------------------------------

def placement_for_launch(*, facts: LaunchFacts) -> Placement:
    token = facts.custom.get("placement")
    placement = (Placement.objects.select_related("course", "assignment", "topic", "live_game")
                 .filter(token=token if isinstance(token, str) else "",
                         course__registration=facts.registration).first())
    if placement is None:
        raise LtiError("This link does not point to an activity of this tool (place it again "
                       "through the LMS's activity picker).", 404)
    if placement.course.context_id != facts.context_id:
        raise LtiError("This link was placed in another course; place it again in this one.",
                       403)
    return placement


def learner_launch(*, facts: LaunchFacts, placement: Placement, user,
                   time_factor: float = 1.0) -> QuizAttempt:
    """Join the course's cohort and open the activity: the learner's assignment attempt (the
    same one on every launch), or their unfinished speed quiz from this link, else a new one."""
    cohort_join(user=user, code=placement.course.cohort.join_code)
    _course_refresh(placement.course, facts)
    if facts.lineitem_url and not placement.lineitem_url:
        Placement.objects.filter(pk=placement.pk, lineitem_url="").update(
            lineitem_url=facts.lineitem_url)
    try:
        if placement.kind == Placement.Kind.ASSIGNMENT:
            attempt = assignment_start(user=user, assignment=placement.assignment,
                                       time_factor=time_factor)
        else:
            ongoing = (LaunchedAttempt.objects.filter(
                placement=placement, attempt__user=user,
                attempt__state=QuizAttempt.State.ACTIVE).select_related("attempt").first())
            if ongoing:
                return ongoing.attempt
            attempt = quiz_start(user=user, time_factor=time_factor, spec=QuizSpec(
                count=placement.count, topic=placement.topic.slug, mode=QuizAttempt.Mode.SPEED))
    except CohortError as exc:
        raise LtiError(exc.message, exc.status) from None
    except QuizError as exc:
        raise LtiError(exc.message, exc.status) from None
    with transaction.atomic():
        _, linked = LaunchedAttempt.objects.get_or_create(
            attempt=attempt, defaults={"placement": placement, "sub": facts.sub,
                                       "lineitem_url": facts.lineitem_url})
        if linked and attempt.state == QuizAttempt.State.FINISHED:
            # Finished on the site before this first launch: its grade still goes to the LMS.
            score_on_attempt_finished(attempt)
    return attempt


def learner_live_launch(*, facts: LaunchFacts, placement: Placement, user,
                        time_factor: float = 1.0) -> tuple[LivePlayer, str]:
    """Join the course's cohort and take a seat in the placed live game as the learner (the
    join page's rules: a locked lobby or a finished game is refused with a LtiError; a learner
    already seated gets their seat back). Returns the seat and its secret (for the cookie).

    The seat is linked to the launch in the transaction that holds the game's lock from the
    join, so a finish cannot fall between the two and miss this learner's grade."""
    cohort_join(user=user, code=placement.course.cohort.join_code)
    _course_refresh(placement.course, facts)
    if facts.lineitem_url and not placement.lineitem_url:
        Placement.objects.filter(pk=placement.pk, lineitem_url="").update(
            lineitem_url=facts.lineitem_url)
    game = placement.live_game
    if game is None or game.state == LiveGame.State.FINISHED:
        raise LtiError("This live game has finished; your score, if you played it from the "
                       "LMS, went to the gradebook.", 409)
    try:
        with transaction.atomic():
            seat, token = game_join(pin=game.pin, user=user, time_factor=time_factor,
                                    nickname=_live_nickname(game, user))
            if seat.game_id != game.pk:  # ours finished and its PIN went to a newer game
                raise LiveError("No game is running with this PIN.", 404)
            LaunchedSeat.objects.get_or_create(
                player=seat, defaults={"placement": placement, "sub": facts.sub,
                                       "lineitem_url": facts.lineitem_url})
    except LiveError as exc:
        if exc.status == 404:  # the PIN's game is gone: it finished after the check above
            raise LtiError("This live game has finished.", 409) from None
        raise LtiError(exc.message, exc.status) from None
    return seat, token


def _live_nickname(game: LiveGame, user) -> str:
    """The learner's LMS name on the projector when it makes a free, valid nickname, else their
    user name (apps.live's default)."""
    try:
        name = clean_nickname((user.first_name or "")[:NICKNAME_MAX])
    except LiveError:
        return ""
    if LivePlayer.objects.filter(game=game, nickname__iexact=name).exclude(user=user).exists():
        return ""
    return name


def instructor_launch(*, facts: LaunchFacts, placement: Placement, user) -> None:
    placement.course.instructors.add(user)
    _course_refresh(placement.course, facts)
