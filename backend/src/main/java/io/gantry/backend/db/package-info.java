/** Storage: embedded H2 or PostgreSQL via HikariCP with Flyway migrations, plain-JDBC repositories, and the content-addressed artifact store. */
package io.gantry.backend.db;
