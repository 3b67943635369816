"""A tiny order service that logs through fapilog and its plugins.

The plugins are selected by name; fapilog finds them through their entry points
(fapilog.sinks, fapilog.processors, fapilog.enrichers, fapilog.redactors, fapilog.filters).
"""

import asyncio

from fapilog import get_async_logger


async def handle_order(logger, order_id: int, email: str) -> None:
    await logger.info("order received", order_id=order_id, customer_email=email)
    await asyncio.sleep(0)
    await logger.info("order shipped", order_id=order_id)


async def main() -> None:
    logger = await get_async_logger(
        "orders",
        sinks=["loki", "kafka", "cloudwatch"],
        enrichers=["request_context", "otel"],
        redactors=["redact_pii"],
        processors=["field_mapper"],
        filters=["sampling"],
    )
    for order_id in range(3):
        await handle_order(logger, order_id, f"customer{order_id}@example.com")
    await logger.drain()


if __name__ == "__main__":
    asyncio.run(main())
