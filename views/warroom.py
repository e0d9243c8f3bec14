"""War room: the four walls in turn on the meeting room's screen, refreshing in place; the room's decisions recorded."""

import time

import streamlit as st

from cockpit import clock
from cockpit.meeting import walls, warroom
from cockpit.ui import forms, screen, sidebar, wall_panels
from cockpit.ui.wall_html import esc
from views import wall_capacity, wall_crises, wall_policies, wall_results

RENDER = {
    "black": wall_results.render,
    "red": wall_crises.render,
    "blue": wall_capacity.render,
    "white": wall_policies.render,
}
ROTATION = "warroom_rotation"  # session key of the rotation (cockpit.warroom.Rotation)
SHOWN = "warroom_shown"  # the wall this run put on screen
TIMING = "warroom_build_ms"  # how long the last wall took to build and lay out, server side


def run(first: str | None = None) -> None:
    """The war room: rotation through the walls (from `first`, or ?wall=), controls, the wall refreshing in place."""
    ctx = sidebar.context()
    kiosk = screen.kiosk_mode()
    tr = ctx.tr
    now = clock.timestamp()
    interval = warroom.parse_interval(st.query_params.get("interval"))
    rotation = st.session_state.get(ROTATION)
    if rotation is None:
        rotation = warroom.start(
            walls.WALLS,
            st.query_params.get("wall") or first,
            interval,
            now,
            paused=st.query_params.get("paused") == "1",
        )
    rotation = warroom.at(warroom.retime(rotation, interval, now), now)
    st.session_state[ROTATION] = rotation
    st.session_state[SHOWN] = rotation.wall
    st.session_state["warroom_wall"] = rotation.wall

    def move(step) -> None:
        """Apply a rotation step (next, previous, pause/resume) at the moment of the click or key press."""
        st.session_state[ROTATION] = step(st.session_state[ROTATION], clock.timestamp())

    def hold() -> None:
        """The decision dialog opened: the wall stays until the decision is saved or cancelled."""
        st.session_state[ROTATION] = warroom.hold(st.session_state[ROTATION], clock.timestamp())

    def release() -> None:
        st.session_state[ROTATION] = warroom.release(st.session_state[ROTATION], clock.timestamp())

    def pick() -> None:
        st.session_state[ROTATION] = warroom.goto(
            st.session_state[ROTATION], st.session_state["warroom_wall"], clock.timestamp()
        )

    if kiosk:  # one thin row above the wall
        bar = st.columns([5.4, 0.55, 0.55, 0.55, 2.4, 2.2, 1.5, 1.6], vertical_alignment="center", gap="small")
    else:  # a laptop beside the sidebar: the walls and the rotation, then the filter and actions
        bar = st.columns([6, 0.7, 0.7, 0.7, 2.6], vertical_alignment="center", gap="small")
        bar += st.columns([4, 2, 2], vertical_alignment="center", gap="small")
    with bar[0]:
        st.segmented_control(
            tr("Wall"),
            walls.WALLS,
            format_func=lambda w: tr(walls.WALL_TITLES[w]),
            key="warroom_wall",
            on_change=pick,
            required=True,
            label_visibility="collapsed",
            width="stretch",
        )
    with bar[1]:
        st.button(
            "",
            icon=":material/skip_previous:",
            on_click=move,
            args=(warroom.previous_wall,),
            shortcut="Left",
            help=tr("Previous wall"),
            key="warroom_previous",
        )
    with bar[2]:
        st.button(
            "",
            icon=":material/play_arrow:" if rotation.paused else ":material/pause:",
            on_click=move,
            args=(warroom.toggle,),
            shortcut="Space",
            help=tr("Resume the rotation") if rotation.paused else tr("Pause on this wall"),
            key="warroom_pause",
        )
    with bar[3]:
        st.button(
            "",
            icon=":material/skip_next:",
            on_click=move,
            args=(warroom.next_wall,),
            shortcut="Right",
            help=tr("Next wall"),
            key="warroom_next",
        )
    wall_panels.key_name("warroom_pause", tr("Space"))
    countdown = bar[4].empty()
    with bar[5]:
        scope, area_id, _ = wall_panels.wall_region(ctx, label_visibility="collapsed")
    with bar[6]:
        st.button(
            tr("Decision"),
            icon=":material/gavel:",
            shortcut="D",
            key="warroom_decide",
            width="stretch",
            on_click=forms.open_decision,
            args=(hold,),
        )
    forms.decision_dialog(ctx, scope, st.session_state.get("warroom_default_subject"), on_close=release)
    if rotation.held and not forms.deciding():  # a dialog closed by leaving the page: never hold the wall for ever
        release()
        rotation = st.session_state[ROTATION]
    with bar[7]:
        if kiosk:
            label = tr("Exit wall mode")
            st.html(f'<a class="wr-exit" href="{esc(screen.exit_kiosk_href("warroom"))}">{esc(label)}</a>')
        else:
            st.link_button(tr("Wall screen"), screen.kiosk_href("warroom"), icon=":material/tv:", width="stretch")

    st.query_params["wall"] = rotation.wall
    if rotation.paused:
        st.query_params["paused"] = "1"
    elif "paused" in st.query_params:
        del st.query_params["paused"]

    # While a decision is typed nothing ticks or refreshes: no rerun can take the dialog away.
    held = rotation.held

    @st.fragment(run_every=None if held else warroom.tick_seconds(interval))
    def timer() -> None:
        """Ticks every few seconds: shows the time to the next wall and starts the switch when it is due."""
        state = warroom.at(st.session_state[ROTATION], clock.timestamp())
        if state.wall != st.session_state.get(SHOWN):
            st.session_state[ROTATION] = state
            st.rerun()
        if state.held:
            text = tr("Paused while a decision is recorded")
        elif state.paused:
            text = tr("Paused on this wall")
        else:
            following = state.walls[(state.index + 1) % len(state.walls)]
            left = int(round(warroom.remaining(state, clock.timestamp())))
            text = tr(
                "Next: {wall} in {time}", wall=tr(walls.WALL_TITLES[following]), time=f"{left // 60}:{left % 60:02d}"
            )
        countdown.html(f'<div class="wr-countdown" title="{esc(text)}">{esc(text)}</div>')

    @st.fragment(run_every=None if held else warroom.parse_refresh(st.query_params.get("refresh")))
    def wall() -> None:
        """The wall on screen; re-reads its data in place every REFRESH_SECONDS, so a new extract shows unreloaded."""
        started = time.perf_counter()
        shown = st.session_state[SHOWN]
        built = wall_panels.show_wall(ctx.latest(), shown, RENDER[shown], scope, area_id, kiosk, clock.timestamp())
        st.session_state[TIMING] = round((time.perf_counter() - started) * 1000)
        st.session_state["warroom_default_subject"] = walls.default_subject(built)

    timer()
    wall()
    if not kiosk:
        st.caption(
            tr(
                "Each wall shows for {seconds} s; keys: ← → to move, space to pause, D to record a decision.",
                seconds=int(rotation.interval),
            )
        )


if __name__ == "__main__":
    run()
