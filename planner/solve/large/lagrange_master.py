"""Prices for the Lagrangian bound: a restricted master LP over whole-service plans.

Column generation (Dantzig-Wolfe): the master chooses a mix of known plans for each
service (one in all, the convexity row) within the rows that link services (a person's
position, the budget and each region's, supervision per region). Its duals price the next
round of service plans (`lagrange.PricingProblem.choose`); the Lagrangian value at those
prices is the bound, the master's own optimum a value the bound cannot go below. They meet
at the best bound this relaxation can give.
"""

from __future__ import annotations

import highspy
import numpy as np

from planner.solve.highs import quiet_highs

INF = highspy.kHighsInf
REPAIR_POINTS = 1e3  # points lost per unit of supervision lacking or budget overspent
REPAIR_TOLERANCE = 1e-6


class Master:
    """The restricted master LP: rows of the relaxation (demand rows unused), then one
    convexity row per service."""

    def __init__(self, rows, services: int, scale: np.ndarray):
        self.rows = rows
        self.scale = np.concatenate((scale, np.ones(services)))  # rows divided by this
        self.highs = quiet_highs()
        # columns join a solved master: the last basis stays primal feasible, so the
        # primal simplex goes on from it
        self.highs.setOptionValue("presolve", "off")
        self.highs.setOptionValue("simplex_strategy", 4)
        self.highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
        lower, upper = rows.lower.copy(), rows.upper.copy()
        demand = slice(rows.first_service, rows.first_service + services)
        lower[demand], upper[demand] = -INF, INF
        lower = np.concatenate((lower, np.ones(services))) / self.scale
        upper = np.concatenate((upper, np.ones(services))) / self.scale
        empty_i, empty_v = np.array([], dtype=np.int32), np.array([], dtype=float)
        self.highs.addRows(len(lower), lower, upper, 0, empty_i, empty_i, empty_v)
        self.services = services
        # repair columns, so the master has a solution whatever plans it is held to (the
        # dive, `dive`, fixes plans): supervision a region lacks or has beyond its need,
        # a budget overspent
        if rows.supervised:
            regions = np.arange(rows.first_region, rows.count)
            for sign in (1.0, -1.0):
                self._add(np.full(len(regions), -REPAIR_POINTS),
                          [np.array([r]) for r in regions], [np.full(1, sign)] * len(regions))
        for row in rows.budget_rows:  # the organisation's and each region's
            self._add(np.array([-REPAIR_POINTS]), [np.array([row])],
                      [np.array([-self.scale[row]])])
        self.first_plan = self.highs.getNumCol()

    def add_plans(self, values: np.ndarray, services: np.ndarray, rows: list[np.ndarray],
                  coefs: list[np.ndarray]) -> None:
        """One column per service plan: its points, the rows it uses and the service's
        convexity row."""
        first = self.rows.count
        rows = [np.append(r, first + s) for r, s in zip(rows, services, strict=True)]
        coefs = [np.append(c, 1.0) for c in coefs]
        self._add(values, rows, coefs)

    def solve(self) -> tuple[float, np.ndarray, np.ndarray]:
        """The master's optimum, the duals of the relaxation's rows and of convexity."""
        self.highs.run()
        status = self.highs.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise ArithmeticError(self.highs.modelStatusToString(status))
        duals = np.asarray(self.highs.getSolution().row_dual) / self.scale
        value = float(self.highs.getInfo().objective_function_value)
        return value, duals[: self.rows.count], duals[self.rows.count:]

    def plan_values(self) -> np.ndarray:
        """The last solution's weight of each plan column (in the order added)."""
        return np.asarray(self.highs.getSolution().col_value)[self.first_plan:]

    def repaired(self) -> bool:
        """Whether the last solution needs a repair column (the plans held to break a
        rule that links services)."""
        repairs = np.asarray(self.highs.getSolution().col_value)[: self.first_plan]
        return bool((repairs > REPAIR_TOLERANCE).any())

    def uppers(self) -> np.ndarray:
        """Every plan column's upper bound (1: open, 0: left out)."""
        return np.asarray(self.highs.getLp().col_upper_)[self.first_plan:].copy()

    def set_uppers(self, plans: np.ndarray, upper: np.ndarray | float) -> None:
        """Open (1) or leave out (0) plan columns."""
        if len(plans) == 0:
            return
        index = (np.asarray(plans) + self.first_plan).astype(np.int32)
        upper = np.broadcast_to(np.asarray(upper, dtype=float), index.shape)
        self.highs.changeColsBounds(len(index), index, np.zeros(len(index)),
                                    np.ascontiguousarray(upper))

    def _add(self, values, rows, coefs) -> None:
        count = len(values)
        if count == 0:
            return
        starts = np.concatenate(([0], np.cumsum([len(r) for r in rows])[:-1])).astype(np.int32)
        index = np.concatenate(rows).astype(np.int32)
        value = np.concatenate(coefs).astype(float) / self.scale[index]
        self.highs.addCols(count, np.asarray(values, dtype=float), np.zeros(count),
                           np.full(count, INF), len(index), starts, index, value)
